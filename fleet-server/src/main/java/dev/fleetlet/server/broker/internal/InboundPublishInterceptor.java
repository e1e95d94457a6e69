package dev.fleetlet.server.broker.internal;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import dev.fleetlet.protocol.Acl;
import dev.fleetlet.protocol.TopicKind;
import dev.fleetlet.protocol.Topics;
import dev.fleetlet.protocol.codec.Decoded;
import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.protocol.codec.Rejection;
import dev.fleetlet.protocol.message.CommandResponse;
import dev.fleetlet.protocol.message.LogChunk;
import dev.fleetlet.protocol.message.Presence;
import dev.fleetlet.protocol.message.TelemetryBatch;
import dev.fleetlet.protocol.message.DeviceEvent;
import dev.fleetlet.protocol.message.ReportedState;
import dev.fleetlet.server.broker.ClientPrincipal;
import dev.fleetlet.server.broker.DeviceStateSink;
import dev.fleetlet.server.broker.LogChunkSink;
import dev.fleetlet.server.broker.PresenceListener;
import dev.fleetlet.server.broker.TelemetrySink;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sees every PUBLISH from a client before the broker routes it. Checks that the topic is a
 * device-published protocol topic under the client's own prefix, decodes and validates the payload by
 * topic kind, and then: telemetry goes to the {@link TelemetrySink} and the publish is held (async
 * output) until it is committed, so the device's PUBACK means "stored"; presence goes to the
 * {@link PresenceListener}; command responses complete pending commands. A refused publish is counted,
 * logged with the device id and the rejection, and not delivered; an MQTT 5 client sees the reason code
 * and reason string in its PUBACK. Nothing here throws into the broker: one device's bad input never
 * affects another device.
 */
final class InboundPublishInterceptor implements PublishInboundInterceptor {

    private static final Logger log = LoggerFactory.getLogger(InboundPublishInterceptor.class);
    private static final long LOG_EVERY_MS = 10_000;

    private final ProtocolCodec codec;
    private final TelemetrySink telemetry;
    private final PresenceListener presence;
    private final PendingCommands commands;
    private final MqttMetrics metrics;
    private final Clock clock;
    private final Duration ingestTimeout;
    private final Map<String, Long> lastWarnByDevice = new ConcurrentHashMap<>();
    private final DeviceStateSink states;
    private final LogChunkSink logs;

    InboundPublishInterceptor(ProtocolCodec codec, TelemetrySink telemetry, PresenceListener presence,
                              PendingCommands commands, MqttMetrics metrics, Clock clock, Duration ingestTimeout) {
        this(codec, telemetry, presence, commands, metrics, clock, ingestTimeout, DeviceStateSink.NONE, LogChunkSink.NONE);
    }

    InboundPublishInterceptor(ProtocolCodec codec, TelemetrySink telemetry, PresenceListener presence,
                              PendingCommands commands, MqttMetrics metrics, Clock clock, Duration ingestTimeout,
                              DeviceStateSink states, LogChunkSink logs) {
        this.states = states == null ? DeviceStateSink.NONE : states;
        this.logs = logs == null ? LogChunkSink.NONE : logs;
        this.codec = codec;
        this.telemetry = telemetry;
        this.presence = presence;
        this.commands = commands;
        this.metrics = metrics;
        this.clock = clock;
        this.ingestTimeout = ingestTimeout;
    }

    @Override
    public void onInboundPublish(PublishInboundInput input, PublishInboundOutput output) {
        String clientId = input.getClientInformation().getClientId();
        try {
            handle(input, output, clientId);
        } catch (RuntimeException e) {
            // A bug here must cost one message, not the broker's handling of everyone else's.
            log.error("publish handling failed clientId={} topic={}", clientId, input.getPublishPacket().getTopic(), e);
            metrics.rejected(null, "internal_error");
            output.preventPublishDelivery(AckReasonCode.UNSPECIFIED_ERROR, "internal error");
        }
    }

    private void handle(PublishInboundInput input, PublishInboundOutput output, String clientId) {
        PublishPacket packet = input.getPublishPacket();
        String topic = packet.getTopic();
        Optional<Topics.DeviceTopic> parsed = Topics.parse(topic);
        TopicKind parsedKind = parsed.map(Topics.DeviceTopic::kind).orElse(null);
        // The broker runs inbound interceptors before its own authorization, so the ACL is enforced here
        // too: nothing reaches the pipeline that the default permissions would refuse afterwards.
        Optional<ClientPrincipal> principal = Principals.of(input.getConnectionInformation());
        if (principal.isEmpty()
                || !Acl.permits(Principals.rules(principal.get()), Acl.Action.PUBLISH, topic, packet.getRetain())) {
            refuse(output, clientId, parsedKind, parsed.isEmpty() ? "unknown_topic" : "not_authorized",
                    AckReasonCode.NOT_AUTHORIZED, "client may not publish" + (packet.getRetain() ? " retained" : "")
                            + " on " + topic);
            return;
        }
        if (parsed.isEmpty() || parsedKind.publisher() != TopicKind.Publisher.DEVICE) {
            // unreachable with the protocol ACL; kept so a wider ACL cannot route foreign topics into decoding
            refuse(output, clientId, parsedKind, "unknown_topic", AckReasonCode.NOT_AUTHORIZED,
                    "topic " + topic + " is not a device-published protocol topic");
            return;
        }
        TopicKind kind = parsedKind;
        String deviceId = parsed.get().deviceId();
        metrics.received(kind);
        byte[] payload = packet.getPayload().map(InboundPublishInterceptor::bytes).orElse(null);
        Instant now = clock.instant();
        switch (kind) {
            case TELEMETRY -> onTelemetry(output, deviceId, payload, now);
            case PRESENCE -> decoded(output, deviceId, kind, MessageType.PRESENCE, payload)
                    .ifPresent(p -> onPresence(output, deviceId, p, now));
            case COMMAND_RESPONSE -> decoded(output, deviceId, kind, MessageType.COMMAND_RESPONSE, payload)
                    .ifPresent(r -> onCommandResponse(deviceId, packet, r));
            case REPORTED_STATE -> decoded(output, deviceId, kind, MessageType.REPORTED_STATE, payload)
                    .ifPresent(r -> onReported(output, deviceId, r, now));
            case EVENTS -> decoded(output, deviceId, kind, MessageType.EVENT, payload)
                    .ifPresent(e -> onEvent(output, deviceId, e, now));
            case LOGS -> decoded(output, deviceId, kind, MessageType.LOG_CHUNK, payload)
                    .ifPresent(l -> onLogChunk(output, deviceId, l, now));
            default -> refuse(output, deviceId, kind, "unknown_topic", AckReasonCode.TOPIC_NAME_INVALID,
                    "topic " + topic + " is not published by devices");
        }
    }

    private void onTelemetry(PublishInboundOutput output, String deviceId, byte[] payload, Instant now) {
        Optional<TelemetryBatch> decoded = decoded(output, deviceId, TopicKind.TELEMETRY, MessageType.TELEMETRY, payload);
        if (decoded.isEmpty()) {
            return;
        }
        TelemetryBatch batch = decoded.get();
        if (!sentByTopicDevice(output, deviceId, TopicKind.TELEMETRY, batch.deviceId())) {
            return;
        }
        CompletableFuture<TelemetrySink.Outcome> outcome;
        try {
            outcome = telemetry.ingest(batch, now);
        } catch (RuntimeException e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        if (outcome.isDone()) {
            // Duplicates and immediate refusals are answered at once: no async hold, no timeout race.
            applyOutcome(output, deviceId, outcome);
            return;
        }
        Async<PublishInboundOutput> async = output.async(ingestTimeout, TimeoutFallback.FAILURE,
                AckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, "server busy: retry-after=" + Math.max(1, ingestTimeout.toSeconds())
                        + "s; telemetry not stored within " + ingestTimeout.toMillis() + " ms");
        CompletableFuture<TelemetrySink.Outcome> pending = outcome;
        long heldSince = System.nanoTime();
        pending.whenComplete((result, error) -> {
            try {
                if (System.nanoTime() - heldSince >= ingestTimeout.toNanos()) {
                    // the broker has answered with the timeout failure: count it as a refusal. Its timer may be late
                    // (a loaded host), and resume() below would then deliver the publish, which the device takes
                    // as "stored": a batch that was not stored is refused here all the same
                    metrics.rejected(TopicKind.TELEMETRY, "ingest_timeout");
                    if (pending.isCompletedExceptionally() || !pending.join().accepted()) {
                        output.preventPublishDelivery(AckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR,
                                "server busy: telemetry not stored within " + ingestTimeout.toMillis() + " ms");
                    }
                    return;
                }
                applyOutcome(output, deviceId, pending);
            } catch (RuntimeException e) {
                // The async output already timed out: the broker answered with the timeout failure.
                log.debug("telemetry outcome after timeout deviceId={} stream={} seq={}", deviceId, batch.stream(), batch.seq());
            } finally {
                async.resume();
            }
        });
    }

    private void applyOutcome(PublishInboundOutput output, String deviceId, CompletableFuture<TelemetrySink.Outcome> done) {
        TelemetrySink.Outcome o;
        try {
            o = done.join();
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            o = new TelemetrySink.Outcome(TelemetrySink.Outcome.Status.FAILED, String.valueOf(cause.getMessage()));
        }
        if (!o.accepted()) {
            boolean full = o.status() == TelemetrySink.Outcome.Status.QUEUE_FULL;
            refuse(output, deviceId, TopicKind.TELEMETRY, full ? "queue_full" : "store_failed",
                    full ? AckReasonCode.QUOTA_EXCEEDED : AckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR,
                    (full ? "server busy: " : "not stored: ") + o.detail());
        }
    }

    private void onPresence(PublishInboundOutput output, String deviceId, Presence p, Instant now) {
        if (!sentByTopicDevice(output, deviceId, TopicKind.PRESENCE, p.deviceId())) {
            return;
        }
        try {
            if (p.state() == Presence.State.ONLINE) {
                presence.online(deviceId, now, p);
            } else {
                presence.offline(deviceId, now, p.reason() == null ? "offline" : p.reason());
            }
        } catch (RuntimeException e) {
            log.error("presence listener failed deviceId={} state={}", deviceId, p.state(), e);
        }
    }

    private void onReported(PublishInboundOutput output, String deviceId, ReportedState r, Instant now) {
        if (!sentByTopicDevice(output, deviceId, TopicKind.REPORTED_STATE, r.deviceId())) {
            return;
        }
        try {
            states.reported(r, now);
        } catch (RuntimeException e) {
            log.error("device state sink failed deviceId={} kind=reported", deviceId, e);
        }
    }

    private void onEvent(PublishInboundOutput output, String deviceId, DeviceEvent ev, Instant now) {
        if (!sentByTopicDevice(output, deviceId, TopicKind.EVENTS, ev.deviceId())) {
            return;
        }
        try {
            states.event(ev, now);
        } catch (RuntimeException e) {
            log.error("device state sink failed deviceId={} kind=event", deviceId, e);
        }
    }

    private void onLogChunk(PublishInboundOutput output, String deviceId, LogChunk chunk, Instant now) {
        if (!sentByTopicDevice(output, deviceId, TopicKind.LOGS, chunk.deviceId())) {
            return;
        }
        try {
            logs.chunk(chunk, now);
        } catch (RuntimeException e) {
            log.error("log chunk sink failed deviceId={} requestId={}", deviceId, chunk.requestId(), e);
        }
    }

    private void onCommandResponse(String deviceId, PublishPacket packet, CommandResponse response) {
        String correlation = packet.getCorrelationData()
                .map(b -> new String(bytes(b), StandardCharsets.UTF_8))
                .orElse(response.id());
        if (!commands.complete(deviceId, correlation, response)) {
            log.info("command response without pending command deviceId={} commandId={}", deviceId, correlation);
        }
    }

    private <T> Optional<T> decoded(PublishInboundOutput output, String deviceId, TopicKind kind, MessageType<T> type,
                                    byte[] payload) {
        Decoded<T> decoded = codec.decode(type, payload);
        if (decoded instanceof Decoded.Ok<T> ok) {
            return Optional.of(ok.value());
        }
        Rejection r = decoded.rejection();
        refuse(output, deviceId, kind, r.reason().name().toLowerCase(Locale.ROOT),
                r.reason() == Rejection.Reason.TOO_LARGE ? AckReasonCode.QUOTA_EXCEEDED : AckReasonCode.PAYLOAD_FORMAT_INVALID,
                r.toString());
        return Optional.empty();
    }

    /**
     * Whether the payload's {@code deviceId} is the device of the topic it was published on (the one the broker
     * authenticated); if not, the publish is refused with PAYLOAD_FORMAT_INVALID naming both.
     */
    private boolean sentByTopicDevice(PublishInboundOutput output, String deviceId, TopicKind kind, String claimed) {
        if (deviceId.equals(claimed)) {
            return true;
        }
        refuse(output, deviceId, kind, "device_id_mismatch", AckReasonCode.PAYLOAD_FORMAT_INVALID,
                "deviceId: '" + claimed + "' does not match the topic's device " + deviceId);
        return false;
    }

    private void refuse(PublishInboundOutput output, String clientId, TopicKind kind, String reason, AckReasonCode code,
                        String detail) {
        metrics.rejected(kind, reason);
        long now = System.currentTimeMillis();
        Long last = lastWarnByDevice.get(clientId);
        if (last == null || now - last >= LOG_EVERY_MS) {
            lastWarnByDevice.put(clientId, now);
            if (lastWarnByDevice.size() > 10_000) {
                lastWarnByDevice.clear();
            }
            log.warn("publish refused deviceId={} kind={} reason={} detail={}", clientId, kind, reason, detail);
        } else {
            log.debug("publish refused deviceId={} kind={} reason={} detail={}", clientId, kind, reason, detail);
        }
        output.preventPublishDelivery(code, truncate(detail));
    }

    private static String truncate(String s) {
        return s.length() <= 256 ? s : s.substring(0, 253) + "...";
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.asReadOnlyBuffer();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }
}
