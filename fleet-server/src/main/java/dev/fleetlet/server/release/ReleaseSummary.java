package dev.fleetlet.server.release;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/** A release in a list: identity, digest of its pinned spec, requirements, who created it and when. */
@Serdeable
public record ReleaseSummary(String id, String name, String version, String notes, String specDigest,
                             ReleaseRequirements requires, Instant createdAt, String createdBy) {

    static ReleaseSummary of(StoredRelease r) {
        return new ReleaseSummary(r.id(), r.name(), r.version(), r.notes(), r.specDigest(), r.requires(), r.createdAt(),
                r.createdBy());
    }
}
