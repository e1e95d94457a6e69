package dev.fleetlet.agent.state;

import dev.fleetlet.protocol.message.Release;
import java.util.Map;

/**
 * What the device has actually applied, as far as the agent knows: the last generation applied in full,
 * the release it runs and the config values in effect. Updated and persisted step by step by the
 * {@link Executor}, so a partly applied generation shows as the old generation with the parts done.
 *
 * @param generation last generation applied completely (0: none)
 * @param release    the release running, or null
 * @param config     the device config values in effect
 */
public record CurrentState(long generation, Release release, Map<String, String> config) {

    public CurrentState {
        config = config == null ? Map.of() : Map.copyOf(config);
    }

    /** A device that has applied nothing yet. */
    public static CurrentState empty() {
        return new CurrentState(0, null, Map.of());
    }

    /** The running release's id, or null. */
    public String releaseId() {
        return release == null ? null : release.id();
    }

    CurrentState withRelease(Release r) {
        return new CurrentState(generation, r, config);
    }

    CurrentState withConfig(Map<String, String> values) {
        return new CurrentState(generation, release, values);
    }

    CurrentState withGeneration(long g) {
        return new CurrentState(g, release, config);
    }
}
