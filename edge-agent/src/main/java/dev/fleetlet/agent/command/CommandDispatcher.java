package dev.fleetlet.agent.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetlet.agent.clock.ClockStatus;
import dev.fleetlet.agent.events.EventPublisher;
import dev.fleetlet.agent.mqtt.IncomingMessage;
import dev.fleetlet.agent.mqtt.MessagePublisher;
import dev.fleetlet.agent.mqtt.OutgoingMessage;
import dev.fleetlet.protocol.Topics;
import dev.fleetlet.protocol.codec.Decoded;
import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.protocol.message.CommandName;
import dev.fleetlet.protocol.message.CommandRequest;
import dev.fleetlet.protocol.message.CommandResponse;
import dev.fleetlet.protocol.message.DeviceEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers command requests per docs/protocol.md "Commands": exactly one response per request, on the
 * device's own {@code commands/res} with the request's correlation data, QoS 1.
 *
 * <p>Order of checks: size (over 16 KiB → {@code rejected}/{@code too-large}, before any parsing), codec
 * ({@code rejected}/{@code bad-request} naming the field; answered only when an id can be recovered from
 * the correlation data or the JSON), redelivery (the remembered response is sent again, nothing runs),
 * expiry ({@code rejected}/{@code expired} when the clock is synchronised and {@code issuedAt + timeoutMs}
 * has passed), name ({@code rejected}/{@code unknown-command}), then the handler. Every rejection also
 * raises a {@code command.rejected} event. A response topic other than the device's own
 * {@code commands/res} is not used (the ACL would refuse it); the response goes to the own topic.
 */
public final class CommandDispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CommandDispatcher.class);
    private static final Pattern COMMAND_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");
    private static final long AFTER_WAIT_MS = 5_000;

    private final String deviceId;
    private final String agentVersion;
    private final MessagePublisher publisher;
    private final ProtocolCodec codec;
    private final EventPublisher events;
    private final Clock clock;
    private final ClockStatus clockStatus;
    private final Map<CommandName, CommandHandler> handlers = new EnumMap<>(CommandName.class);
    private final RecentCommands recent = new RecentCommands();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "command-worker");
        t.setDaemon(true);
        return t;
    });

    public CommandDispatcher(String deviceId, String agentVersion, MessagePublisher publisher, ProtocolCodec codec,
                             EventPublisher events, Clock clock, ClockStatus clockStatus) {
        this.deviceId = deviceId;
        this.agentVersion = agentVersion;
        this.publisher = publisher;
        this.codec = codec;
        this.events = events;
        this.clock = clock;
        this.clockStatus = clockStatus;
    }

    /** Registers the handler of a command; a known command without a handler is rejected as unknown. */
    public CommandDispatcher register(CommandName name, CommandHandler handler) {
        handlers.put(name, handler);
        return this;
    }

    /** Queues a request from {@code commands/req}; returns at once (safe on the MQTT callback thread). */
    public Future<?> onMessage(IncomingMessage message) {
        return worker.submit(() -> handle(message));
    }

    /** Handles one request on the calling thread, including the follow-up action. Never throws. */
    void handle(IncomingMessage message) {
        try {
            byte[] correlation = message.correlationData();
            if (message.responseTopic() != null && !message.responseTopic().equals(Topics.commandResponses(deviceId))) {
                log.warn("command response topic is not the device's own, answering on the own topic instead "
                        + "responseTopic={}", message.responseTopic());
            }
            byte[] payload = message.payload();
            int limit = MessageType.COMMAND_REQUEST.maxBytes();
            if (payload.length > limit) {
                rejectUndecodable(correlation, null, "too-large",
                        "command request is " + payload.length + " bytes, limit is " + limit);
                return;
            }
            Decoded<CommandRequest> decoded = codec.decode(MessageType.COMMAND_REQUEST, payload);
            if (decoded instanceof Decoded.Rejected<CommandRequest> r) {
                rejectUndecodable(correlation, idFromJson(payload), "bad-request",
                        "command request rejected: " + r.rejection());
                return;
            }
            CommandRequest request = decoded.orElseThrow();
            byte[] corr = correlation != null ? correlation : request.id().getBytes(StandardCharsets.UTF_8);
            Optional<byte[]> earlier = recent.response(request.id());
            if (earlier.isPresent()) {
                log.info("command redelivered, answering again without running it id={} command={}", request.id(),
                        request.command());
                send(earlier.get(), corr);
                return;
            }
            CommandOutcome outcome = decide(request);
            if (outcome.status() == CommandResponse.Status.REJECTED) {
                events.raise(DeviceEvent.Type.COMMAND_REJECTED, null, null, "command " + request.command()
                        + " id=" + request.id() + " rejected: " + outcome.errorCode() + ": " + outcome.errorMessage());
            }
            byte[] response = encode(request.id(), outcome);
            recent.remember(request.id(), response);
            log.info("command answered id={} command={} status={} code={}", request.id(), request.command(),
                    outcome.status().wire(), outcome.errorCode());
            CompletableFuture<Void> sent = send(response, corr);
            if (outcome.after() != null) {
                awaitQuietly(sent);
                outcome.after().run();
            }
        } catch (RuntimeException e) {
            log.error("command handling failed topic={} error={}", message.topic(), e.toString(), e);
        }
    }

    private CommandOutcome decide(CommandRequest request) {
        if (clockStatus.synced() && request.issuedAt() != null) {
            Instant deadline = request.issuedAt().plusMillis(request.timeoutMs());
            if (clock.instant().isAfter(deadline)) {
                return CommandOutcome.rejected("expired", "command issued at " + request.issuedAt()
                        + " with timeout " + request.timeoutMs() + " ms expired at " + deadline);
            }
        }
        Optional<CommandName> name = CommandName.fromWire(request.command());
        CommandHandler handler = name.map(handlers::get).orElse(null);
        if (handler == null) {
            return CommandOutcome.rejected("unknown-command", "command '" + request.command()
                    + "' is not supported by agent " + agentVersion);
        }
        try {
            return handler.handle(request);
        } catch (RuntimeException e) {
            log.error("command handler threw id={} command={} error={}", request.id(), request.command(), e.toString(), e);
            return CommandOutcome.error("internal", "command " + request.command() + " failed: " + e);
        }
    }

    private void rejectUndecodable(byte[] correlation, String jsonId, String code, String message) {
        String id = jsonId;
        if (id == null && correlation != null) {
            String c = new String(correlation, StandardCharsets.UTF_8);
            id = COMMAND_ID.matcher(c).matches() ? c : null;
        }
        log.warn("command request rejected deviceId={} id={} code={} message={}", deviceId, id, code, message);
        events.raise(DeviceEvent.Type.COMMAND_REJECTED, null, null, (id == null ? "" : "id=" + id + " ") + code + ": "
                + message);
        if (id == null) {
            log.warn("command request carries no usable id or correlation data; no response possible");
            return;
        }
        send(encode(id, CommandOutcome.rejected(code, message)),
                correlation != null ? correlation : id.getBytes(StandardCharsets.UTF_8));
    }

    private String idFromJson(byte[] payload) {
        try {
            JsonNode id = codec.mapper().readTree(payload).path("id");
            return id.isTextual() && COMMAND_ID.matcher(id.asText()).matches() ? id.asText() : null;
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    private byte[] encode(String id, CommandOutcome o) {
        CommandResponse.ErrorInfo error = o.errorCode() == null ? null
                : new CommandResponse.ErrorInfo(o.errorCode(), shorten(o.errorMessage()));
        return codec.encode(MessageType.COMMAND_RESPONSE,
                new CommandResponse(1, id, o.status(), clock.instant(), o.result(), error));
    }

    private CompletableFuture<Void> send(byte[] response, byte[] correlation) {
        return publisher.publish(new OutgoingMessage(Topics.commandResponses(deviceId), response, 1, false, correlation))
                .whenComplete((ok, e) -> {
                    if (e != null) {
                        log.warn("command response not acknowledged error={}", e.toString());
                    }
                });
    }

    private static void awaitQuietly(CompletableFuture<Void> f) {
        try {
            f.get(AFTER_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // logged by send(); the follow-up runs anyway (a reboot must not hang on a lost PUBACK)
        }
    }

    private static String shorten(String s) {
        return s.length() <= 1024 ? s : s.substring(0, 1021) + "...";
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
