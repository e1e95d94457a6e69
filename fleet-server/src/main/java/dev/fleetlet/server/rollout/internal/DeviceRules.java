package dev.fleetlet.server.rollout.internal;

import dev.fleetlet.server.rollout.DeviceProgress;
import dev.fleetlet.server.rollout.Observation;
import dev.fleetlet.server.rollout.ProgressStatus;
import dev.fleetlet.server.rollout.plan.Format;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How one device's progress changes on an observation and as time passes. Pure; every transition is
 * guarded by the current status, so applying the same observation twice changes nothing the second time.
 */
public final class DeviceRules {

    private DeviceRules() {
    }

    /**
     * Applies {@code o} to {@code d}. Timers are advanced to {@code o.at()} first, so a report that arrives
     * after the device's deadline finds it already SILENT, and an unhealthy report after a finished soak
     * finds it already SUCCEEDED. Observations older than the last dispatch or the last applied observation
     * are ignored.
     */
    public static DeviceProgress observe(DeviceProgress d, Observation o, Duration soak, Duration timeout) {
        if (d.dispatchedAt() == null || o.at().isBefore(d.dispatchedAt())
                || d.lastObservedAt() != null && o.at().isBefore(d.lastObservedAt())) {
            return d;
        }
        DeviceProgress t = advance(d, o.at(), soak, timeout);
        DeviceProgress n = transition(t, o);
        return n == d ? d : n.observedAt(o.at());
    }

    private static DeviceProgress transition(DeviceProgress d, Observation o) {
        ProgressStatus s = d.status();
        Observation.Kind k = o.kind();
        if (k == Observation.Kind.OFFLINE) {
            return tracksPresence(s) && d.offlineSince() == null ? d.withOfflineSince(o.at()) : d;
        }
        if (k == Observation.Kind.ONLINE) {
            return tracksPresence(s) && d.offlineSince() != null ? d.withOfflineSince(null) : d;
        }
        if (s == ProgressStatus.ROLLING_BACK) {
            return rollingBack(d, o);
        }
        boolean inFlight = s.inFlight();
        boolean judged = inFlight || s == ProgressStatus.HEALTHY;
        if (!judged) {
            return d;
        }
        switch (k) {
            case APPLYING:
                return s == ProgressStatus.DISPATCHED
                        ? d.withStatus(ProgressStatus.APPLYING, null).withReleaseMayRun(true) : d;
            case APPLIED:
                return inFlight && s != ProgressStatus.APPLIED && Objects.equals(o.releaseId(), d.targetRelease())
                        ? d.withStatus(ProgressStatus.APPLIED, null).withReleaseMayRun(true) : d;
            case HEALTHY:
                return inFlight && Objects.equals(o.releaseId(), d.targetRelease()) ? d.healthy(o.at()) : d;
            case UNHEALTHY:
                if (s == ProgressStatus.HEALTHY) {
                    return d.withStatus(ProgressStatus.FAILED, "unhealthy during soak after "
                            + Format.duration(Duration.between(d.healthySince(), o.at())) + suffix(o));
                }
                return s == ProgressStatus.APPLIED
                        ? d.withStatus(ProgressStatus.FAILED, "unhealthy after applying" + suffix(o)) : d;
            case FAILED:
                return d.withStatus(ProgressStatus.FAILED, "failed" + suffix(o)).withReleaseMayRun(false);
            case REJECTED:
                return d.withStatus(ProgressStatus.FAILED, "rejected" + suffix(o)).withReleaseMayRun(false);
            case ROLLED_BACK:
                return d.withStatus(ProgressStatus.ROLLED_BACK_LOCALLY, "rolled back by the device" + suffix(o))
                        .withReleaseMayRun(false);
            case ROLLBACK_FAILED:
                return d.withStatus(ProgressStatus.FAILED, "rollback_failed" + suffix(o)).withReleaseMayRun(true);
            default:
                return d;
        }
    }

    private static DeviceProgress rollingBack(DeviceProgress d, Observation o) {
        switch (o.kind()) {
            case APPLIED:
            case HEALTHY:
                return Objects.equals(o.releaseId(), d.previousRelease())
                        ? d.withStatus(ProgressStatus.ROLLED_BACK, null).withReleaseMayRun(false) : d;
            case ROLLED_BACK:
                return d.withStatus(ProgressStatus.ROLLED_BACK, "restored by the device" + suffix(o))
                        .withReleaseMayRun(false);
            case FAILED:
            case REJECTED:
            case ROLLBACK_FAILED:
                return d.withStatus(ProgressStatus.ROLLBACK_FAILED, o.kind().name().toLowerCase(java.util.Locale.ROOT)
                        + suffix(o));
            default:
                return d;
        }
    }

    /**
     * Advances timers to {@code now}: deadline of in-flight devices ({@code dispatchedAt + timeout}), soak
     * completion, offline-during-soak silence, rollback confirmation deadline.
     */
    public static DeviceProgress advance(DeviceProgress d, Instant now, Duration soak, Duration timeout) {
        ProgressStatus s = d.status();
        if (s.inFlight()) {
            if (!now.isBefore(d.dispatchedAt().plus(timeout))) {
                String why;
                if (s == ProgressStatus.DISPATCHED) {
                    why = "no report within " + Format.duration(timeout) + " after dispatch";
                } else if (s == ProgressStatus.APPLYING) {
                    why = "still applying " + Format.duration(timeout) + " after dispatch";
                } else {
                    why = "applied but not healthy " + Format.duration(timeout) + " after dispatch";
                }
                return d.withStatus(ProgressStatus.SILENT, why).withReleaseMayRun(true);
            }
            return d;
        }
        if (s == ProgressStatus.HEALTHY) {
            Instant soakEnd = d.healthySince().plus(soak);
            Instant off = d.offlineSince();
            if (off != null && !soakEnd.isAfter(off) || off == null && !now.isBefore(soakEnd)) {
                return d.withStatus(ProgressStatus.SUCCEEDED, null).withOfflineSince(null);
            }
            if (off != null && !now.isBefore(off.plus(timeout))) {
                return d.withStatus(ProgressStatus.SILENT, "offline for " + Format.duration(timeout)
                        + " during soak");
            }
            return d;
        }
        if (s == ProgressStatus.ROLLING_BACK && !now.isBefore(d.dispatchedAt().plus(timeout))) {
            return d.withStatus(ProgressStatus.ROLLBACK_FAILED, "no confirmation within " + Format.duration(timeout)
                    + " after rollback dispatch");
        }
        return d;
    }

    private static boolean tracksPresence(ProgressStatus s) {
        return s == ProgressStatus.HEALTHY;
    }

    private static String suffix(Observation o) {
        return o.reason() == null || o.reason().isBlank() ? "" : ": " + o.reason();
    }
}
