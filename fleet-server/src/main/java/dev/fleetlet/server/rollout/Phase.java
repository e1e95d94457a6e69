package dev.fleetlet.server.rollout;

/** Where a rollout is in its life. The last three are final: {@link RolloutController#step} changes nothing there. */
public enum Phase {
    /** Created, planned, not started: nothing dispatched. */
    DRAFT,
    /** Dispatching the current group within the concurrency limit and judging devices. */
    RUNNING,
    /** No dispatch; devices dispatched but not applying were held; devices applying are still judged. */
    PAUSED,
    /** Aborted without rollback: no dispatch; waiting for devices applying or soaking to settle. */
    ABORTING,
    /** Sending devices that may run the release back to their previous release, within the concurrency limit. */
    ROLLING_BACK,
    /** Every group passed its gate. */
    COMPLETED,
    /** Aborted; devices keep what they run. */
    ABORTED,
    /** Rollback finished (each device rolled back or failed to). */
    ROLLED_BACK;

    public boolean isFinal() {
        return this == COMPLETED || this == ABORTED || this == ROLLED_BACK;
    }
}
