package dev.fleetlet.server.rollout;

import java.time.Instant;

/**
 * One device's progress in a rollout. Immutable; the controller returns changed copies.
 *
 * @param deviceId        device id
 * @param group           index of its group (0 = canary when the plan has one)
 * @param status          where it is
 * @param targetRelease   the release the rollout brings to this device (per device, so a fleet rollback
 *                        can send each device to its own previous release)
 * @param previousRelease the release it ran before, restored on rollback and hold; null = none
 * @param dispatchedAt    last dispatch (forward or rollback), or null; observations older than this are ignored
 * @param healthySince    start of the current healthy run, or null
 * @param offlineSince    when it went offline while being judged, or null
 * @param lastObservedAt  time of the newest observation applied; older ones are ignored
 * @param reason          why it failed, was held or rolled back; null otherwise
 * @param attempts        how many times it was dispatched forward
 * @param releaseMayRun   true when the device may be running the target release (it reported applying or
 *                        later, or went silent), so an abort with rollback must send it back
 */
public record DeviceProgress(String deviceId, int group, ProgressStatus status, String targetRelease,
                             String previousRelease, Instant dispatchedAt, Instant healthySince, Instant offlineSince,
                             Instant lastObservedAt, String reason, int attempts, boolean releaseMayRun) {

    /** A device not yet dispatched. */
    public static DeviceProgress pending(String deviceId, int group, String targetRelease, String previousRelease) {
        return new DeviceProgress(deviceId, group, ProgressStatus.PENDING, targetRelease, previousRelease, null, null,
                null, null, null, 0, false);
    }

    public DeviceProgress withStatus(ProgressStatus s, String why) {
        return new DeviceProgress(deviceId, group, s, targetRelease, previousRelease, dispatchedAt, healthySince,
                offlineSince, lastObservedAt, why, attempts, releaseMayRun);
    }

    public DeviceProgress dispatched(Instant at, boolean forward) {
        return new DeviceProgress(deviceId, group, forward ? ProgressStatus.DISPATCHED : ProgressStatus.ROLLING_BACK,
                targetRelease, previousRelease, at, null, null, lastObservedAt, null, forward ? attempts + 1 : attempts,
                releaseMayRun);
    }

    public DeviceProgress healthy(Instant since) {
        return new DeviceProgress(deviceId, group, ProgressStatus.HEALTHY, targetRelease, previousRelease, dispatchedAt,
                since, offlineSince, lastObservedAt, null, attempts, true);
    }

    public DeviceProgress withOfflineSince(Instant at) {
        return new DeviceProgress(deviceId, group, status, targetRelease, previousRelease, dispatchedAt, healthySince,
                at, lastObservedAt, reason, attempts, releaseMayRun);
    }

    public DeviceProgress observedAt(Instant at) {
        return new DeviceProgress(deviceId, group, status, targetRelease, previousRelease, dispatchedAt, healthySince,
                offlineSince, at, reason, attempts, releaseMayRun);
    }

    public DeviceProgress withReleaseMayRun(boolean mayRun) {
        return new DeviceProgress(deviceId, group, status, targetRelease, previousRelease, dispatchedAt, healthySince,
                offlineSince, lastObservedAt, reason, attempts, mayRun);
    }

    /** Back to PENDING for a retry or after a hold: timers and reason cleared, attempts kept. */
    public DeviceProgress reset() {
        return new DeviceProgress(deviceId, group, ProgressStatus.PENDING, targetRelease, previousRelease, null, null,
                null, lastObservedAt, null, attempts, releaseMayRun);
    }
}
