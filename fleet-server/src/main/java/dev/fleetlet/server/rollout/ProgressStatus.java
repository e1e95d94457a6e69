package dev.fleetlet.server.rollout;

/** Where one device is within a rollout. */
public enum ProgressStatus {
    /** Not dispatched yet (its group not reached, or waiting for a concurrency slot or a window). */
    PENDING,
    /** Was dispatched, then held by a pause or abort before it started applying: its desired state was reverted. Back to PENDING on resume. */
    HELD,
    /** Desired state sent, no sign of work yet. Holds a concurrency slot. */
    DISPATCHED,
    /** The device reported it is applying the release. Holds a concurrency slot. */
    APPLYING,
    /** Applied, services not yet healthy. Holds a concurrency slot. */
    APPLIED,
    /** Applied and healthy since {@link DeviceProgress#healthySince()}; soaking (no slot held). */
    HEALTHY,
    /** Healthy for the whole soak window. Final for the forward rollout. */
    SUCCEEDED,
    /** Failed to apply, rejected, or unhealthy during soak ({@link DeviceProgress#reason()}). Counts as failure. */
    FAILED,
    /** Did not become applied+healthy within the device timeout, or offline too long during soak. Counts as failure. */
    SILENT,
    /** The agent restored the previous release by itself. Counts as failure. */
    ROLLED_BACK_LOCALLY,
    /** Rollback decided, waiting for a concurrency slot. */
    ROLLBACK_PENDING,
    /** Previous release sent back, waiting for the device to confirm it. */
    ROLLING_BACK,
    /** The device runs its previous release again. */
    ROLLED_BACK,
    /** The rollback failed or the device stayed silent. */
    ROLLBACK_FAILED;

    /** Counts towards {@code maxConcurrent} in the forward direction. */
    public boolean inFlight() {
        return this == DISPATCHED || this == APPLYING || this == APPLIED;
    }

    /** Counts as a failure for the gates. */
    public boolean failure() {
        return this == FAILED || this == SILENT || this == ROLLED_BACK_LOCALLY;
    }

    /** Judged: success or failure, nothing more will change it in the forward direction. */
    public boolean settled() {
        return this == SUCCEEDED || failure();
    }
}
