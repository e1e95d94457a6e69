package dev.fleetlet.server.desired;

import dev.fleetlet.protocol.message.DeviceEvent;
import dev.fleetlet.protocol.message.ReportedState;
import dev.fleetlet.protocol.message.ServiceStatus;
import dev.fleetlet.server.rollout.Observation;
import java.time.Instant;
import java.util.Optional;

/**
 * Turns what a device reports into rollout {@link Observation}s, as {@link Observation} documents:
 * {@code applying} → APPLYING; {@code applied} with every service healthy or without a health check →
 * HEALTHY, with a service unhealthy → UNHEALTHY, otherwise APPLIED; failure statuses map to the kind of
 * the same name; {@code idle} says nothing. Events: {@code update.downloading}/{@code update.starting} →
 * APPLYING, {@code update.healthy}/{@code update.applied} → HEALTHY, {@code update.failed} → FAILED,
 * {@code desired.rejected} → REJECTED, {@code update.rolled_back} → ROLLED_BACK,
 * {@code update.rollback_failed} → ROLLBACK_FAILED; other events say nothing.
 */
public final class ObservationMapping {

    private ObservationMapping() {
    }

    public static Optional<Observation> of(ReportedState s, Instant receivedAt) {
        Observation.Kind kind;
        switch (s.status()) {
            case APPLYING -> kind = Observation.Kind.APPLYING;
            case APPLIED -> kind = health(s);
            case FAILED -> kind = Observation.Kind.FAILED;
            case REJECTED -> kind = Observation.Kind.REJECTED;
            case ROLLED_BACK -> kind = Observation.Kind.ROLLED_BACK;
            case ROLLBACK_FAILED -> kind = Observation.Kind.ROLLBACK_FAILED;
            default -> {
                return Optional.empty();
            }
        }
        String reason = s.reason();
        if (kind == Observation.Kind.UNHEALTHY && reason == null) {
            reason = unhealthyServices(s);
        }
        return Optional.of(new Observation(s.deviceId(), receivedAt, kind, s.releaseId(), reason));
    }

    public static Optional<Observation> of(DeviceEvent e, Instant receivedAt) {
        Observation.Kind kind;
        switch (e.type()) {
            case UPDATE_DOWNLOADING, UPDATE_STARTING -> kind = Observation.Kind.APPLYING;
            case UPDATE_HEALTHY, UPDATE_APPLIED -> kind = Observation.Kind.HEALTHY;
            case UPDATE_FAILED -> kind = Observation.Kind.FAILED;
            case DESIRED_REJECTED -> kind = Observation.Kind.REJECTED;
            case UPDATE_ROLLED_BACK -> kind = Observation.Kind.ROLLED_BACK;
            case UPDATE_ROLLBACK_FAILED -> kind = Observation.Kind.ROLLBACK_FAILED;
            default -> {
                return Optional.empty();
            }
        }
        return Optional.of(new Observation(e.deviceId(), receivedAt, kind, e.releaseId(), e.message()));
    }

    private static Observation.Kind health(ReportedState s) {
        boolean starting = false;
        for (ServiceStatus svc : s.services()) {
            String h = svc.health() == null ? "none" : svc.health();
            if (h.equals("unhealthy")) {
                return Observation.Kind.UNHEALTHY;
            }
            if (!h.equals("healthy") && !h.equals("none")) {
                starting = true;
            }
        }
        return starting ? Observation.Kind.APPLIED : Observation.Kind.HEALTHY;
    }

    private static String unhealthyServices(ReportedState s) {
        StringBuilder b = new StringBuilder("unhealthy:");
        for (ServiceStatus svc : s.services()) {
            if ("unhealthy".equals(svc.health())) {
                b.append(' ').append(svc.name());
            }
        }
        return b.toString();
    }
}
