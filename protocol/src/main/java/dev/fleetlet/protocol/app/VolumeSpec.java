package dev.fleetlet.protocol.app;

import java.util.Map;

/**
 * A named volume declared under the top-level {@code volumes} key. The agent creates it on first use,
 * keeps it across releases of the same app, and deletes it only when the app is removed.
 *
 * @param labels metadata labels, insertion-ordered; empty by default
 */
public record VolumeSpec(Map<String, String> labels) {

    public VolumeSpec {
        labels = labels == null ? Map.of() : AppSpec.ordered(labels);
    }

    /** A volume without labels. */
    public static VolumeSpec empty() {
        return new VolumeSpec(Map.of());
    }
}
