package dev.fleetlet.server.rollout.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetlet.server.api.ApiException;
import dev.fleetlet.server.api.ErrorCode;
import dev.fleetlet.server.api.Problem;
import dev.fleetlet.server.desired.DesiredStateService;
import dev.fleetlet.server.device.selector.Selector;
import dev.fleetlet.server.rollout.CatalogRelease;
import dev.fleetlet.server.rollout.Command;
import dev.fleetlet.server.rollout.DeviceSnapshot;
import dev.fleetlet.server.rollout.Explanation;
import dev.fleetlet.server.rollout.FleetRollback;
import dev.fleetlet.server.rollout.Phase;
import dev.fleetlet.server.rollout.RequiredCapabilities;
import dev.fleetlet.server.rollout.RolloutState;
import dev.fleetlet.server.rollout.Target;
import dev.fleetlet.server.rollout.TargetResolver;
import dev.fleetlet.server.rollout.plan.Forecast;
import dev.fleetlet.server.rollout.plan.PlanProblem;
import dev.fleetlet.server.rollout.plan.RolloutPlan;
import dev.fleetlet.server.rollout.plan.WaveAssignment;
import dev.fleetlet.server.rollout.plan.WavePlanner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Operator actions on rollouts: preview and create (targeting frozen at creation), commands (stored with a
 * seq, applied by the engine at its next step), explain, fleet rollback. Validation problems are
 * {@link ApiException}s listing every field at once.
 */
public class RolloutService {

    /** Typical time for a device to apply a release, for forecasts. */
    public static final Duration TYPICAL_APPLY = Duration.ofMinutes(2);

    /** A validated request: what to roll out to whom, how. */
    public record Spec(String releaseId, String selectorText, Selector selector, RolloutPlan plan, CatalogRelease release) {
    }

    /** A planned rollout (created or previewed). */
    public record Planned(String id, RolloutState state, Forecast forecast, TargetResolver.Resolution resolution) {
    }

    private final RolloutStore store;
    private final DeviceSnapshots snapshots;
    private final DesiredStateService desired;
    private final RolloutEngine engine;
    private final Clock clock;

    public RolloutService(RolloutStore store, DeviceSnapshots snapshots, DesiredStateService desired, RolloutEngine engine,
                          Clock clock) {
        this.store = store;
        this.snapshots = snapshots;
        this.desired = desired;
        this.engine = engine;
        this.clock = clock;
    }

    /** Checks a create/preview request; every problem at once (fields {@code releaseId}, {@code selector}, {@code plan.*}). */
    public Spec validate(String releaseId, String selectorText, JsonNode plan) {
        List<Problem.FieldError> errors = new ArrayList<>();
        CatalogRelease release = null;
        if (releaseId == null || releaseId.isBlank()) {
            errors.add(new Problem.FieldError("releaseId", "is required"));
        } else {
            try {
                release = desired.release(releaseId);
            } catch (IllegalArgumentException e) {
                errors.add(new Problem.FieldError("releaseId", "unknown release " + releaseId));
            }
        }
        Selector selector = Selector.ALL;
        try {
            selector = Selector.parse(selectorText == null ? "" : selectorText);
        } catch (RuntimeException e) {
            errors.add(new Problem.FieldError("selector", e.getMessage()));
        }
        PlanJson.Parsed parsed = PlanJson.read(plan, "plan.");
        for (PlanProblem p : parsed.problems()) {
            errors.add(new Problem.FieldError(p.field(), p.message()));
        }
        if (!errors.isEmpty()) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, errors.size() + " problem(s) in the rollout request", errors);
        }
        return new Spec(releaseId, selectorText == null ? "" : selectorText, selector, parsed.plan(), release);
    }

    /** Targets and plans without storing anything. */
    public Planned preview(Spec spec) {
        return plan("preview", spec);
    }

    private Planned plan(String id, Spec spec) {
        RequiredCapabilities requires = spec.release().requires();
        Target target = new Target(spec.releaseId(), spec.selector(), requires);
        List<DeviceSnapshot> all = snapshots.all(null);
        TargetResolver.Resolution res = TargetResolver.resolve(target, all);
        List<String> ids = new ArrayList<>();
        Map<String, String> current = new HashMap<>();
        for (DeviceSnapshot d : res.included()) {
            ids.add(d.id());
            if (d.currentRelease() != null) {
                current.put(d.id(), d.currentRelease());
            }
        }
        WaveAssignment a = WavePlanner.assign(id, ids, spec.plan());
        RolloutState s = RolloutState.draft(id, spec.plan(), a, spec.releaseId(), current);
        return new Planned(id, s, WavePlanner.forecast(s.groupSizes(), spec.plan(), TYPICAL_APPLY), res);
    }

    /** Creates a DRAFT rollout with its membership frozen now. */
    public Planned create(Spec spec, String actor) {
        String id = "ro-" + UUID.randomUUID().toString().substring(0, 13).replace("-", "");
        Planned p = plan(id, spec);
        Instant now = clock.instant();
        store.insert(new RolloutRecord(id, RolloutRecord.Kind.RELEASE, spec.releaseId(), spec.selectorText(), actor, now,
                null), p.state(), now);
        store.jdbc().tx(c -> {
            store.audit(c, id, List.of(new RolloutStore.AuditLine(now, "created by " + actor + ": release "
                    + spec.releaseId() + " to " + p.state().devices().size() + " devices (" + p.resolution().excluded().size()
                    + " excluded), forecast " + p.forecast().summary())));
            return null;
        });
        engine.wake();
        return p;
    }

    /**
     * A fleet rollback of finished rollout {@code rolloutId}: a new DRAFT rollout sending its affected
     * devices back to their previous releases with {@code plan}.
     *
     * @throws ApiException 404 unknown rollout, 409 not finished, 400 invalid plan
     */
    public Planned fleetRollback(String rolloutId, JsonNode planJson, String actor) {
        RolloutStore.Stored finished = store.load(rolloutId)
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no rollout " + rolloutId));
        PlanJson.Parsed parsed = PlanJson.read(planJson, "plan.");
        if (parsed.plan() == null) {
            List<Problem.FieldError> errors = new ArrayList<>();
            parsed.problems().forEach(p -> errors.add(new Problem.FieldError(p.field(), p.message())));
            throw new ApiException(ErrorCode.VALIDATION_FAILED, errors.size() + " problem(s) in the plan", errors);
        }
        if (!finished.state().phase().isFinal()) {
            throw new ApiException(ErrorCode.CONFLICT, "rollout " + rolloutId + " is " + finished.state().phase()
                    + "; a fleet rollback starts from a finished rollout (abort it first)");
        }
        String id = "rb-" + UUID.randomUUID().toString().substring(0, 13).replace("-", "");
        RolloutState s = FleetRollback.plan(finished.state(), id, parsed.plan());
        Instant now = clock.instant();
        store.insert(new RolloutRecord(id, RolloutRecord.Kind.FLEET_ROLLBACK, null, finished.record().selector(), actor,
                now, rolloutId), s, now);
        Forecast f = WavePlanner.forecast(s.groupSizes(), parsed.plan(), TYPICAL_APPLY);
        store.jdbc().tx(c -> {
            store.audit(c, id, List.of(new RolloutStore.AuditLine(now, "fleet rollback of " + rolloutId + " created by "
                    + actor + ": " + s.devices().size() + " devices back to their previous release, forecast " + f.summary())));
            return null;
        });
        engine.wake();
        return new Planned(id, s, f, null);
    }

    private static final Map<Command.Kind, Set<Phase>> ALLOWED = Map.of(
            Command.Kind.START, EnumSet.of(Phase.DRAFT),
            Command.Kind.PAUSE, EnumSet.of(Phase.RUNNING),
            Command.Kind.RESUME, EnumSet.of(Phase.PAUSED),
            Command.Kind.ABORT, EnumSet.of(Phase.DRAFT, Phase.RUNNING, Phase.PAUSED),
            Command.Kind.ROLLBACK, EnumSet.of(Phase.RUNNING, Phase.PAUSED, Phase.ABORTING),
            Command.Kind.RETRY_FAILED, EnumSet.of(Phase.RUNNING, Phase.PAUSED));

    /**
     * Stores a command for the engine. Checked against the stored phase: a command the phase does not allow
     * is refused with 409 and its reason (a command that races a phase change is rejected by the engine
     * instead, and the rejection is written to the audit log and the command's outcome).
     */
    public Command command(String rolloutId, Command.Kind kind, String actor) {
        Phase phase = store.phase(rolloutId).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no rollout " + rolloutId));
        if (!ALLOWED.get(kind).contains(phase)) {
            throw new ApiException(ErrorCode.CONFLICT, kind.name().toLowerCase().replace('_', '-') + " is not possible while the rollout is "
                    + phase + " (possible in " + ALLOWED.get(kind) + ")");
        }
        Command c = store.appendCommand(rolloutId, kind, actor, clock.instant());
        engine.wake();
        return c;
    }

    /** Why a device is or is not in a rollout's target, judged now; plus its progress when it is a member. */
    public Explanation explain(String rolloutId, String deviceId) {
        RolloutStore.Stored s = store.load(rolloutId)
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no rollout " + rolloutId));
        List<DeviceSnapshot> d = snapshots.all(deviceId);
        if (d.isEmpty()) {
            throw new ApiException(ErrorCode.NOT_FOUND, "no device " + deviceId);
        }
        if (s.record().kind() == RolloutRecord.Kind.FLEET_ROLLBACK) {
            boolean member = s.state().device(deviceId) != null;
            return new Explanation(deviceId, member, List.of(new Explanation.Reason(member ? Explanation.Code.INCLUDED
                    : Explanation.Code.SELECTOR_MISMATCH, member ? "affected by rollout " + s.record().rollbackOf()
                    : "not affected by rollout " + s.record().rollbackOf())));
        }
        RequiredCapabilities req = desired.release(s.record().releaseId()).requires();
        return TargetResolver.explain(new Target(s.record().releaseId(), Selector.parse(s.record().selector()), req), d.get(0));
    }
}
