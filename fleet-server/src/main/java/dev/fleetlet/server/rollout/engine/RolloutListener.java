package dev.fleetlet.server.rollout.engine;

import dev.fleetlet.server.rollout.Phase;
import java.time.Instant;
import java.util.List;

/**
 * Told by the engine, after a step committed, what changed; used for the SSE stream. Called on the engine
 * thread: must not block.
 */
public interface RolloutListener {

    RolloutListener NONE = new RolloutListener() {
    };

    /** The rollout changed phase. */
    default void phase(String rolloutId, Phase from, Phase to, Instant at) {
    }

    /** An audit line (gate decision, dispatch, hold, ...). */
    default void audit(String rolloutId, Instant at, String text) {
    }

    /** Counts changed (at most about twice a second per rollout). */
    default void progress(String rolloutId, Phase phase, int currentGroup, RolloutCounts total, List<RolloutCounts> groups) {
    }
}
