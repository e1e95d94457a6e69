package dev.fleetlet.agent.state;

import dev.fleetlet.agent.mqtt.MessagePublisher;
import dev.fleetlet.agent.mqtt.OutgoingMessage;
import dev.fleetlet.protocol.Topics;
import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.protocol.message.ReportedState;
import dev.fleetlet.protocol.message.ServiceStatus;
import dev.fleetlet.protocol.message.SystemHealth;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the reported state, retained with QoS 1 on {@code state/reported}, after every change and
 * again after every (re)connect ({@link #republish()}), so the retained copy on the broker always shows the
 * latest report even when a change happened offline. Reasons longer than 1,024 characters are shortened.
 * Every report carries the board's system health from the supplier given at construction (none when it
 * yields null or fails); {@link #refresh} re-sends the last report with fresh service stats and health.
 */
public final class StateReporter {

    private static final int MAX_REASON = 1024;
    private static final Logger log = LoggerFactory.getLogger(StateReporter.class);

    private final String deviceId;
    private final MessagePublisher publisher;
    private final ProtocolCodec codec;
    private final Clock clock;
    private final Supplier<SystemHealth> systemHealth;
    private ReportedState latest;
    private byte[] latestPayload;

    /** A reporter that sends no system health. */
    public StateReporter(String deviceId, MessagePublisher publisher, ProtocolCodec codec, Clock clock) {
        this(deviceId, publisher, codec, clock, () -> null);
    }

    /**
     * @param systemHealth read for every report; may return null (then {@code system} is left out)
     */
    public StateReporter(String deviceId, MessagePublisher publisher, ProtocolCodec codec, Clock clock,
                         Supplier<SystemHealth> systemHealth) {
        this.deviceId = deviceId;
        this.publisher = publisher;
        this.codec = codec;
        this.clock = clock;
        this.systemHealth = systemHealth;
        report(ReportedState.Status.IDLE, 0, null, null, null, List.of());
    }

    /** Records and publishes a new report. Never throws. */
    public synchronized void report(ReportedState.Status status, long generation, String releaseId,
                                    String previousReleaseId, String reason, List<ServiceStatus> services) {
        ReportedState state = new ReportedState(1, deviceId, generation, clock.instant(), status, releaseId,
                previousReleaseId, shorten(reason), services, system());
        if (store(state)) {
            log.info("reported state status={} generation={} releaseId={} reason={}", status.wire(), generation,
                    releaseId, state.reason());
            send(latestPayload);
        }
    }

    /**
     * Re-publishes {@code expected} (the latest report) with fresh services and system health, stamped now.
     * Does nothing and returns false when another report replaced {@code expected} meanwhile, so a periodic
     * refresh never overwrites a newer status.
     */
    public synchronized boolean refresh(ReportedState expected, List<ServiceStatus> services, SystemHealth system) {
        if (latest != expected) {
            return false;
        }
        ReportedState state = expected.withHealth(clock.instant(), services, system);
        if (!store(state)) {
            return false;
        }
        log.debug("reported state refreshed status={} generation={} services={}", state.status().wire(),
                state.generation(), services.size());
        send(latestPayload);
        return true;
    }

    private boolean store(ReportedState state) {
        try {
            latestPayload = codec.encode(MessageType.REPORTED_STATE, state);
            latest = state;
            return true;
        } catch (IllegalArgumentException e) {
            log.error("reported state not encodable, not sent status={} generation={} error={}",
                    state.status().wire(), state.generation(), e.getMessage());
            return false;
        }
    }

    private SystemHealth system() {
        try {
            return systemHealth.get();
        } catch (RuntimeException e) {
            log.debug("system health not readable error={}", e.toString());
            return null;
        }
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
