package dev.fleetlet.oci;

import java.util.Objects;

/** A content descriptor from a manifest or index: what the blob is, its digest and exact size. */
public record Descriptor(String mediaType, Digest digest, long size, Platform platform) {
    public Descriptor {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(digest, "digest");
        if (size < 0) {
            throw new IllegalArgumentException("descriptor size must be >= 0, got " + size);
        }
    }
}
