package dev.fleetlet.server.release;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * What changed from release {@code from} to release {@code to}, key by key in the pinned specs.
 *
 * @param changes in canonical key order; empty when the specs are equal
 */
@Serdeable
public record ReleaseDiff(String from, String to, List<Change> changes) {

    public ReleaseDiff {
        changes = List.copyOf(changes);
    }

    /**
     * One difference.
     *
     * @param path   key path, e.g. {@code services.web.image} or {@code services.web.environment.MODE}
     * @param kind   {@code ADDED}, {@code REMOVED} or {@code CHANGED}
     * @param before the old value as text, null when added
     * @param after  the new value as text, null when removed
     */
    @Serdeable
    public record Change(String path, String kind, String before, String after) {
    }
}
