package dev.fleetlet.server.release;

import java.util.List;

/**
 * Port: who still refers to a release. A release may be deleted only when this answers an empty list.
 * The default implementation ({@code internal.TableReleaseReferences}) looks at the rollout engine's tables
 * ({@code device_pins}, {@code device_desired_state}, {@code rollouts}) and at devices' reported releases
 * when those exist; a replacement bean may ask the rollout engine instead.
 */
public interface ReleaseReferences {

    /**
     * @return human-readable reasons the release is in use ("2 devices pinned to it", "rollout r-12 targets it"),
     *         empty when nothing refers to it
     */
    List<String> referencesTo(String releaseId);
}
