package dev.fleetlet.agent.state;

import dev.fleetlet.agent.mqtt.MessagePublisher;
import dev.fleetlet.agent.mqtt.OutgoingMessage;
import dev.fleetlet.protocol.Topics;
import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.protocol.message.ReportedState;
import dev.fleetlet.protocol.message.ServiceStatus;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the reported state, retained with QoS 1 on {@code state/reported}, after every change and
 * again after every (re)connect ({@link #republish()}), so the retained copy on the broker always shows the
 * latest report even when a change happened offline. Reasons longer than 1,024 characters are shortened.
 */
public final class StateReporter {

    private static final int MAX_REASON = 1024;
    private static final Logger log = LoggerFactory.getLogger(StateReporter.class);

    private final String deviceId;
    private final MessagePublisher publisher;
    private final ProtocolCodec codec;
    private final Clock clock;
    private ReportedState latest;
    private byte[] latestPayload;

    public StateReporter(String deviceId, MessagePublisher publisher, ProtocolCodec codec, Clock clock) {
        this.deviceId = deviceId;
        this.publisher = publisher;
        this.codec = codec;
        this.clock = clock;
        report(ReportedState.Status.IDLE, 0, null, null, null, List.of());
    }

    /** Records and publishes a new report. Never throws. */
    public void report(ReportedState.Status status, long generation, String releaseId, String previousReleaseId,
                       String reason, List<ServiceStatus> services) {
        ReportedState state = new ReportedState(1, deviceId, generation, clock.instant(), status, releaseId,
                previousReleaseId, shorten(reason), services);
        byte[] payload;
        try {
            payload = codec.encode(MessageType.REPORTED_STATE, state);
        } catch (IllegalArgumentException e) {
            log.error("reported state not encodable, not sent status={} generation={} error={}", status.wire(),
                    generation, e.getMessage());
            return;
        }
        synchronized (this) {
            latest = state;
            latestPayload = payload;
        }
        log.info("reported state status={} generation={} releaseId={} reason={}", status.wire(), generation,
                releaseId, state.reason());
        send(payload);
    }

    /** Publishes the latest report again (after a connect). */
    public void republish() {
        byte[] payload;
        synchronized (this) {
            payload = latestPayload;
        }
        if (payload != null) {
            send(payload);
        }
    }

    public synchronized Optional<ReportedState> latest() {
        return Optional.ofNullable(latest);
    }

    private void send(byte[] payload) {
        if (!publisher.isConnected()) {
            return; // republished after the next connect
        }
        publisher.publish(OutgoingMessage.qos1(Topics.reportedState(deviceId), payload, true))
                .whenComplete((ok, error) -> {
                    if (error != null) {
                        log.debug("reported state not acknowledged, will be republished on connect error={}",
                                error.toString());
                    }
                });
    }

    private static String shorten(String reason) {
        if (reason == null || reason.length() <= MAX_REASON) {
            return reason;
        }
        return reason.substring(0, MAX_REASON - 3) + "...";
    }
}
