package dev.fleetlet.server.rollout;

import java.time.Instant;

/**
 * What the executor must do after a step. The controller itself does no I/O; the caller persists the new
 * state and performs these effects (publish desired states, append audit entries, notify), in order.
 */
public sealed interface Effect permits Effect.DispatchDesired, Effect.DispatchRollback, Effect.Hold,
        Effect.AuditEntry, Effect.PhaseChanged {

    /** Publish a desired state with {@code releaseId} for the device (new generation). */
    record DispatchDesired(String deviceId, String releaseId) implements Effect {
    }

    /** Publish a desired state with the device's previous release; the device is tracked until it confirms. */
    record DispatchRollback(String deviceId, String releaseId) implements Effect {
    }

    /**
     * Revert the device's desired state to {@code releaseId} (its previous), new generation; not tracked. Used
     * for devices dispatched but not yet applying, and for devices whose attempt ended without the release
     * running (failed, rejected, rolled back locally) when the rollout rolls back or is aborted.
     */
    record Hold(String deviceId, String releaseId) implements Effect {
    }

    /** One line for the rollout's audit log. */
    record AuditEntry(Instant at, String text) implements Effect {
    }

    /** The rollout changed phase. */
    record PhaseChanged(Phase from, Phase to, Instant at) implements Effect {
    }
}
