package dev.fleetlet.server.rollout.plan;

/** What the controller does when a failure threshold is exceeded. */
public enum BreachAction {
    /** Stop dispatching and hold devices not yet applying; an operator decides (resume, retry failed, abort). */
    PAUSE,
    /** Stop, hold devices not yet applying, and send every device that took the release back to its previous one. */
    ABORT_AND_ROLLBACK
}
