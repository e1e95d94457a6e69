package dev.fleetlet.server.logs;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetlet.protocol.message.CommandRequest;
import dev.fleetlet.server.api.ApiException;
import dev.fleetlet.server.api.ErrorCode;
import dev.fleetlet.server.broker.DevicePublisher;
import dev.fleetlet.server.device.Device;
import dev.fleetlet.server.device.DeviceService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs on demand (docs/protocol.md, "Logs on demand"): {@code POST /api/v1/devices/{id}/logs} sends the
 * {@code logs} command to an online device and answers 202 {@code {"requestId"}} at once; the chunks the device
 * then streams are collected by {@link LogRequests} and read with {@code GET /api/v1/devices/{id}/logs/{requestId}}
 * (chunks so far, {@code complete}, the device's refusal as {@code error}). Admin and operator only: logs can hold
 * anything a service prints. Errors are problem documents: 400 naming the field, 404 unknown device or request,
 * 409 device not online, 503 broker disabled or too many requests in progress.
 */
@Controller("/api/v1/devices/{id}/logs")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({"ADMIN", "OPERATOR"})
public class LogsController {

    /** How long the device has to answer the command; chunks may arrive until this plus 60 s. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    static final int MAX_LINES = 10_000;
    private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    private static final Logger log = LoggerFactory.getLogger(LogsController.class);

    private final DeviceService devices;
    private final LogRequests requests;
    private final Optional<DevicePublisher> publisher;
    private final Clock clock;

    public LogsController(DeviceService devices, LogRequests requests, Optional<DevicePublisher> publisher, Clock clock) {
        this.devices = devices;
        this.requests = requests;
        this.publisher = publisher;
        this.clock = clock;
    }

    /** Asks the device for its most recent log lines; 202 with the request id to poll. */
    @Post
    public HttpResponse<Map<String, String>> request(String id, @Nullable @Body LogsForm form, Authentication who) {
        String source = form == null || form.source() == null || form.source().isBlank() ? "agent" : form.source().trim();
        if (!SOURCE.matcher(source).matches()) {
            throw ApiException.field(ErrorCode.VALIDATION_FAILED, "source",
                    "must be 'agent', 'system' or a service name (letters, digits, '_', '.', '-'; at most 63)");
        }
        int lines = form == null || form.lines() == null ? 200 : form.lines();
        if (lines < 1 || lines > MAX_LINES) {
            throw ApiException.field(ErrorCode.VALIDATION_FAILED, "lines", "must be between 1 and " + MAX_LINES);
        }
        Device d = devices.get(id);
        if (!d.online()) {
            throw new ApiException(ErrorCode.CONFLICT, "device " + id + " is " + d.status().name().toLowerCase()
                    + "; logs need an online device");
        }
        DevicePublisher p = publisher.orElseThrow(() -> new ApiException(ErrorCode.UNAVAILABLE, "the MQTT broker is disabled"));
        String requestId = UUID.randomUUID().toString();
        try {
            requests.start(requestId, id, source, lines, COMMAND_TIMEOUT);
        } catch (LogRequests.FullException e) {
            throw new ApiException(ErrorCode.UNAVAILABLE, e.getMessage());
        }
        ObjectNode args = JsonNodeFactory.instance.objectNode().put("source", source).put("lines", lines);
        CommandRequest command = new CommandRequest(1, requestId, "logs", args, clock.instant(), COMMAND_TIMEOUT.toMillis());
        log.info("logs command deviceId={} requestId={} source={} lines={} by={}", id, requestId, source, lines, who.getName());
        try {
            p.sendCommand(id, command, COMMAND_TIMEOUT)
                    .whenComplete((response, error) -> {
                        if (error == null) {
                            requests.answered(requestId, response);
                        } else {
                            Throwable cause = error.getCause() != null ? error.getCause() : error;
                            requests.failed(requestId, cause instanceof TimeoutException ? "timeout" : "not-sent",
                                    cause instanceof TimeoutException ? "the device did not answer within "
                                            + COMMAND_TIMEOUT.toSeconds() + " s" : "command not sent: " + cause.getMessage());
                        }
                    });
        } catch (RuntimeException e) {
            requests.failed(requestId, "not-sent", "command not sent: " + e.getMessage());
            throw new ApiException(ErrorCode.UNAVAILABLE, "command not sent: " + e.getMessage());
        }
        return HttpResponse.accepted().body(Map.of("requestId", requestId));
    }

    /** The request's chunks so far and whether it is complete; 404 for an unknown (or forgotten) request. */
    @Get("/{requestId}")
    public LogRequest get(String id, String requestId) {
        devices.get(id);
        return requests.get(id, requestId).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND,
                "no log request " + requestId + " for device " + id + " (unknown, or forgotten after "
                        + "fleetlet.logs.keep)"));
    }
}
