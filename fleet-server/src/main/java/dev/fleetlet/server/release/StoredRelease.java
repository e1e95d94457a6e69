package dev.fleetlet.server.release;

import java.time.Instant;
import java.util.List;

/**
 * A release row as stored; immutable once written.
 *
 * @param id           release id ({@code <name>-<version>} sanitized, or generated on a clash)
 * @param specJson     canonical JSON of the pinned app spec: what devices receive
 * @param specDigest   {@code sha256:<hex>} of {@code specJson}
 * @param sourceDigest {@code sha256:<hex>} of the canonical JSON of the spec before pinning; equal values mean
 *                     "the same release" for an idempotent repeated create
 * @param compose      the compose text exactly as submitted
 * @param images       per service, the digest its image resolved to
 */
public record StoredRelease(String id, String name, String version, String notes, String specJson, String specDigest,
                            String sourceDigest, String compose, ReleaseRequirements requires, Instant createdAt,
                            String createdBy, List<PinnedImage> images) {

    public StoredRelease {
        images = List.copyOf(images);
    }
}
