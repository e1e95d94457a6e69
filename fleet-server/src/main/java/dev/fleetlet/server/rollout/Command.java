package dev.fleetlet.server.rollout;

import java.time.Instant;

/**
 * An operator's manual control. {@code seq} grows by one per command of a rollout; the controller applies
 * a command once (commands with {@code seq ≤ } {@link RolloutState#lastCommandSeq()} are ignored), which
 * makes replaying a batch harmless.
 *
 * @param seq   per-rollout sequence number
 * @param kind  what to do
 * @param at    when it was issued (server time)
 * @param actor who issued it (user or API token name), for the audit log
 */
public record Command(long seq, Kind kind, Instant at, String actor) {

    /** Manual controls. */
    public enum Kind {
        /** DRAFT → RUNNING. */
        START,
        /** RUNNING → PAUSED: no dispatch, devices dispatched but not applying are held. */
        PAUSE,
        /** PAUSED → RUNNING: held devices become pending again; gates are re-checked first. */
        RESUME,
        /** Stop without rollback: hold devices not yet applying, let the others settle. */
        ABORT,
        /** Stop and send every device that may run the release back to its previous release. */
        ROLLBACK,
        /** Failed and silent devices of the current group go back to PENDING. */
        RETRY_FAILED
    }
}
