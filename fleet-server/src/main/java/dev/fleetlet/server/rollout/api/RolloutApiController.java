package dev.fleetlet.server.rollout.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.server.api.ApiException;
import dev.fleetlet.server.api.ErrorCode;
import dev.fleetlet.server.api.Page;
import dev.fleetlet.server.rollout.Command;
import dev.fleetlet.server.rollout.DeviceProgress;
import dev.fleetlet.server.rollout.Explanation;
import dev.fleetlet.server.rollout.Phase;
import dev.fleetlet.server.rollout.ProgressStatus;
import dev.fleetlet.server.rollout.RolloutState;
import dev.fleetlet.server.rollout.engine.PlanJson;
import dev.fleetlet.server.rollout.engine.RolloutCounts;
import dev.fleetlet.server.rollout.engine.RolloutQueries;
import dev.fleetlet.server.rollout.engine.RolloutService;
import dev.fleetlet.server.rollout.engine.RolloutStore;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /api/v1/rollouts}: create, preview, read, control and explain rollouts. Reads for every role;
 * creating and controls for admin and operator. Controls answer 202 with the command's seq: the engine
 * applies it at its next step (within about half a second) and writes the outcome to the audit log.
 */
@Controller("/api/v1/rollouts")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({"ADMIN", "OPERATOR", "VIEWER"})
@Tag(name = "rollouts")
public class RolloutApiController {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RolloutService service;
    private final RolloutQueries queries;
    private final RolloutStore store;

    public RolloutApiController(RolloutService service, RolloutQueries queries, RolloutStore store) {
        this.service = service;
        this.queries = queries;
        this.store = store;
    }

    @Operation(summary = "Create a rollout (DRAFT) of a release to the devices matching a selector; membership is frozen now",
            description = "Body: {\"releaseId\": \"...\", \"selector\": \"env=prod\", \"plan\": {...}} (plan format in docs/rollouts.md). "
                    + "Answers the member count and the forecast; an invalid request answers 400 listing every problem with its field.")
    @Post(consumes = MediaType.APPLICATION_JSON)
    @Secured({"ADMIN", "OPERATOR"})
    public HttpResponse<RolloutViews.Planned> create(@Body String body, Authentication who) {
        JsonNode n = parse(body);
        RolloutService.Planned p = service.create(service.validate(text(n, "releaseId"), text(n, "selector"), n.get("plan")),
                who.getName());
        return HttpResponse.created(planned(p, 0));
    }

    @Operation(summary = "Preview a rollout without creating it: member count, forecast and a sample of explanations")
    @Post(value = "/preview", consumes = MediaType.APPLICATION_JSON)
    public RolloutViews.Planned preview(@Body String body) {
        JsonNode n = parse(body);
        return planned(service.preview(service.validate(text(n, "releaseId"), text(n, "selector"), n.get("plan"))), 20);
    }

    @Operation(summary = "List rollouts, newest first, optionally in one phase")
    @Get
    public Page<RolloutQueries.Summary> list(@Nullable @QueryValue String phase, @QueryValue(defaultValue = "0") int page,
                                             @QueryValue(defaultValue = "50") int size) {
        Page.check(page, size);
        return queries.list(phase == null || phase.isEmpty() ? null : enumOf(Phase.class, "phase", phase), page, size);
    }

    @Operation(summary = "A rollout: phase, current group and per-group device counts")
    @Get("/{id}")
    public RolloutViews.RolloutView get(String id) {
        RolloutStore.Stored s = load(id);
        RolloutState st = s.state();
        @SuppressWarnings("unchecked")
        Map<String, Object> plan = JSON.convertValue(PlanJson.tree(st.plan()), Map.class);
        return new RolloutViews.RolloutView(id, s.record().kind().name(), s.record().releaseId(), s.record().selector(),
                st.phase(), st.pauseCause() == null ? null : st.pauseCause().name(), st.currentGroup(),
                st.plan().groupName(st.currentGroup()), plan, RolloutCounts.total(st), RolloutCounts.perGroup(st),
                s.record().createdBy(), s.record().createdAt(), st.startedAt(), st.endedAt(), s.record().rollbackOf());
    }

    @Operation(summary = "Devices of a rollout in dispatch order, optionally with one status")
    @Get("/{id}/devices")
    public Page<RolloutQueries.DeviceRow> devices(String id, @Nullable @QueryValue String status,
                                                  @QueryValue(defaultValue = "0") int page,
                                                  @QueryValue(defaultValue = "50") int size) {
        Page.check(page, size);
        ProgressStatus st = status == null || status.isEmpty() ? null : enumOf(ProgressStatus.class, "status", status);
        if (store.phase(id).isEmpty()) {
            throw new ApiException(ErrorCode.NOT_FOUND, "no rollout " + id);
        }
        return queries.devices(id, st, page, size);
    }

    @Operation(summary = "Why a device is or is not in the rollout's target, and its progress when it is a member")
    @Get("/{id}/explain/{deviceId}")
    public RolloutViews.ExplanationView explain(String id, String deviceId) {
        Explanation e = service.explain(id, deviceId);
        DeviceProgress d = load(id).state().device(deviceId);
        return RolloutViews.ExplanationView.of(e, d != null, d == null ? null : d.status(), d == null ? null : d.reason());
    }

    @Operation(summary = "Audit log of a rollout, oldest first: every gate decision with its numbers, dispatches, holds, commands")
    @Get("/{id}/audit")
    public Page<RolloutStore.AuditLine> audit(String id, @QueryValue(defaultValue = "0") int page,
                                              @QueryValue(defaultValue = "100") int size) {
        Page.check(page, size);
        if (store.phase(id).isEmpty()) {
            throw new ApiException(ErrorCode.NOT_FOUND, "no rollout " + id);
        }
        return queries.audit(id, page, size);
    }

    @Operation(summary = "Start a DRAFT rollout")
    @Post("/{id}/start")
    @Secured({"ADMIN", "OPERATOR"})
    public HttpResponse<RolloutViews.CommandAccepted> start(String id, Authentication who) {
        return command(id, Command.Kind.START, who);
    }

    @Operation(summary = "Pause: stop dispatching and hold devices not yet applying")
    @Post("/{id}/pause")
    @Secured({"ADMIN", "OPERATOR"})
    public HttpResponse<RolloutViews.CommandAccepted> pause(String id, Authentication who) {
        return command(id, Command.Kind.PAUSE, who);
    }

    @Operation(summary = "Resume a paused rollout")
    @Post("/{id}/resume")
    @Secured({"ADMIN", "OPERATOR"})
    public HttpResponse<RolloutViews.CommandAccepted> resume(String id, Authentication who) {
        return command(id, Command.Kind.RESUME, who);
    }

    @Operation(summary = "Abort without rollback: hold devices not yet applying, let the others settle")
    @Post("/{id}/abort")
    @Secured({"ADMIN", "OPERATOR"})
    public HttpResponse<RolloutViews.CommandAccepted> abort(String id, Authentication who) {
        return command(id, Command.Kind.ABORT, who);
    }

    @Operation(summary = "Abort and send every device that may run the release back to its previous release")
    @Post("/{id}/rollback")
    @Secured({"ADMIN", "OPERATOR"})
    public HttpResponse<RolloutViews.CommandAccepted> rollback(String id, Authentication who) {
        return command(id, Command.Kind.ROLLBACK, who);
    }

    @Operation(summary = "Failed and silent devices of the current group back to pending")
    @Post("/{id}/retry-failed")
    @Secured({"ADMIN", "OPERATOR"})
    public HttpResponse<RolloutViews.CommandAccepted> retryFailed(String id, Authentication who) {
        return command(id, Command.Kind.RETRY_FAILED, who);
    }

    @Operation(summary = "Fleet rollback of a finished rollout: a new DRAFT rollout taking its devices back with the given plan",
            description = "Body: {\"plan\": {...}}")
    @Post(value = "/{id}/fleet-rollback", consumes = MediaType.APPLICATION_JSON)
    @Secured({"ADMIN", "OPERATOR"})
    public HttpResponse<RolloutViews.Planned> fleetRollback(String id, @Body String body, Authentication who) {
        JsonNode n = parse(body);
        return HttpResponse.created(planned(service.fleetRollback(id, n.get("plan"), who.getName()), 0));
    }

    private HttpResponse<RolloutViews.CommandAccepted> command(String id, Command.Kind kind, Authentication who) {
        Command c = service.command(id, kind, who.getName());
        return HttpResponse.accepted().body(new RolloutViews.CommandAccepted(id, c.seq(),
                kind.name().toLowerCase(Locale.ROOT).replace('_', '-')));
    }

    private RolloutStore.Stored load(String id) {
        return store.load(id).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no rollout " + id));
    }

    private static RolloutViews.Planned planned(RolloutService.Planned p, int sample) {
        List<RolloutViews.ExplanationView> s = new ArrayList<>();
        int excluded = 0;
        if (p.resolution() != null) {
            excluded = p.resolution().excluded().size();
            int in = 0;
            int out = 0;
            for (Explanation e : p.resolution().explanations().values()) {
                if (e.included() ? in++ < sample : out++ < sample) {
                    s.add(RolloutViews.ExplanationView.of(e, null, null, null));
                }
            }
        }
        return new RolloutViews.Planned(p.id(), p.state().phase(), p.state().devices().size(), excluded,
                p.state().groupSizes(), RolloutViews.ForecastView.of(p.forecast()), s);
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode n = body == null || body.isBlank() ? null : JSON.readTree(body);
            if (n == null || !n.isObject()) {
                throw new ApiException(ErrorCode.INVALID_REQUEST, "body must be a JSON object");
            }
            return n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "body is not JSON: " + e.getOriginalMessage());
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String field, String value) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw ApiException.field(ErrorCode.VALIDATION_FAILED, field, "unknown value '" + value + "'");
        }
    }

}
