package dev.fleetlet.server.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetlet.protocol.message.CommandRequest;
import dev.fleetlet.protocol.message.CommandResponse;
import dev.fleetlet.server.api.ApiException;
import dev.fleetlet.server.api.ErrorCode;
import dev.fleetlet.server.api.Page;
import dev.fleetlet.server.broker.DevicePublisher;
import dev.fleetlet.server.device.Device;
import dev.fleetlet.server.device.DeviceService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Hidden;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dashboard-only JSON endpoints under {@code /ui/api}: aggregates and searches the pages need and the public API
 * does not offer. Same authentication as the API (session cookie, Basic or bearer); reads for every role,
 * commands for admin and operator. Errors are problem documents like the API's.
 */
@Controller("/ui/api")
@Hidden
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({"ADMIN", "OPERATOR", "VIEWER"})
public class DashboardApiController {

    static final Set<String> COMMANDS = Set.of("identify", "reboot", "restart-agent", "restart-service");
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(DashboardApiController.class);

    private final DashboardQueries queries;
    private final DeviceService devices;
    private final Optional<DevicePublisher> publisher;
    private final Clock clock;

    public DashboardApiController(DashboardQueries queries, DeviceService devices, Optional<DevicePublisher> publisher,
                                  Clock clock) {
        this.queries = queries;
        this.devices = devices;
        this.publisher = publisher;
        this.clock = clock;
    }

    /** Who is signed in: name and role (the pages hide controls the role may not use). */
    @Get("/me")
    public Map<String, Object> me(Authentication who) {
        return Map.of("username", who.getName(), "roles", who.getRoles());
    }

    /** Fleet overview: counts, releases, alerts, active rollouts. */
    @Get("/overview")
    public DashboardQueries.Overview overview() {
        return queries.overview();
    }

    /** Device search: {@code q} (id/name/serial substring), {@code selector}, {@code status}, paging (size ≤ 500). */
    @Get("/devices")
    public Page<DashboardQueries.DeviceRow> devices(@Nullable @QueryValue String q, @Nullable @QueryValue String selector,
                                                    @Nullable @QueryValue String status,
                                                    @QueryValue(defaultValue = "0") int page,
                                                    @QueryValue(defaultValue = "50") int size) {
        Page.check(page, size);
        if (q != null && q.length() > 128) {
            throw ApiException.field(ErrorCode.VALIDATION_FAILED, "q", "must be at most 128 characters");
        }
        return queries.devices(q, DeviceService.selectorParam(selector), DeviceService.statusParam(status), page, size);
    }

    /**
     * The audit log (rollout decisions, operator commands, creations), newest first: {@code rollout} and
     * {@code actor} filter exactly; paging as everywhere (size ≤ 500).
     */
    @Get("/audit")
    public Page<DashboardQueries.AuditRow> audit(@Nullable @QueryValue String rollout, @Nullable @QueryValue String actor,
                                                 @QueryValue(defaultValue = "0") int page,
                                                 @QueryValue(defaultValue = "50") int size) {
        Page.check(page, size);
        return queries.audit(filter("rollout", rollout), filter("actor", actor), page, size);
    }

    private static String filter(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > 128) {
            throw ApiException.field(ErrorCode.VALIDATION_FAILED, name, "must be at most 128 characters");
        }
        return value.trim();
    }

    /** The device's reported state (release, containers) or {@code {"available": false}}. */
    @Get("/devices/{id}/reported-state")
    public Map<String, Object> reportedState(String id) {
        devices.get(id);
        Map<String, Object> state = queries.reportedState(id);
        if (state == null) {
            return Map.of("available", false);
        }
        Map<String, Object> out = new LinkedHashMap<>(state);
        out.put("available", true);
        return out;
    }

    /** Telemetry series (sensor, quantity, unit) the device reported in the last 7 days. */
    @Get("/devices/{id}/series")
    public List<Map<String, String>> series(String id) {
        devices.get(id);
        return queries.series(id, Duration.ofDays(7));
    }

    /**
     * Sends a command to an online device and waits up to 10 s for its answer: 200 with the device's response,
     * 503 when it does not answer, 409 when it is not online, 400 for an unknown command.
     */
    @Post("/devices/{id}/commands")
    @Secured({"ADMIN", "OPERATOR"})
    public Map<String, Object> command(String id, @Body CommandForm form, Authentication who) {
        String command = form.command() == null ? "" : form.command().trim();
        if (!COMMANDS.contains(command)) {
            throw ApiException.field(ErrorCode.VALIDATION_FAILED, "command",
                    "must be one of identify, reboot, restart-agent, restart-service");
        }
        ObjectNode args = JsonNodeFactory.instance.objectNode();
        if (command.equals("identify")) {
            args.put("seconds", 10);
        } else if (command.equals("restart-service")) {
            if (form.service() == null || form.service().isBlank()) {
                throw ApiException.field(ErrorCode.VALIDATION_FAILED, "service", "is required for restart-service");
            }
            args.put("service", form.service().trim());
        }
        Device d = devices.get(id);
        if (!d.online()) {
            throw new ApiException(ErrorCode.CONFLICT, "device " + id + " is " + d.status().name().toLowerCase()
                    + "; commands need an online device");
        }
        DevicePublisher p = publisher.orElseThrow(() -> new ApiException(ErrorCode.UNAVAILABLE, "the MQTT broker is disabled"));
        CommandRequest request = new CommandRequest(1, UUID.randomUUID().toString(), command, args, clock.instant(),
                COMMAND_TIMEOUT.toMillis());
        log.info("dashboard command deviceId={} command={} by={}", id, command, who.getName());
        try {
            CommandResponse r = p.sendCommand(id, request, COMMAND_TIMEOUT)
                    .get(COMMAND_TIMEOUT.toMillis() + 2000, TimeUnit.MILLISECONDS);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("command", command);
            out.put("status", String.valueOf(r.status()).toLowerCase());
            out.put("error", r.error());
            JsonNode result = r.result();
            out.put("result", result == null ? null : result.toString());
            return out;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException) {
                throw new ApiException(ErrorCode.UNAVAILABLE, "device " + id + " did not answer within "
                        + COMMAND_TIMEOUT.toSeconds() + " s");
            }
            throw new ApiException(ErrorCode.UNAVAILABLE, "command not sent: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new ApiException(ErrorCode.UNAVAILABLE, "device " + id + " did not answer in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ErrorCode.UNAVAILABLE, "interrupted");
        }
    }
}
