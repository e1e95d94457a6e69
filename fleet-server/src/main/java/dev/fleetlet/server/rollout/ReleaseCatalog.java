package dev.fleetlet.server.rollout;

import java.util.Optional;

/**
 * Where the rollout engine and desired-state dispatch look up a release's content. Implemented by the
 * releases feature over its table; the rollout engine only reads.
 *
 * <p>Releases are immutable, so a found release may be cached by the caller. Implementations must be
 * thread-safe and should answer from the database without network access (images were pinned at
 * release creation).
 */
public interface ReleaseCatalog {

    /**
     * Finds a release by id.
     *
     * @param releaseId the release id; null or blank finds nothing
     * @return the release with its required capabilities, or empty when no such release exists
     * @throws dev.fleetlet.server.db.DataAccessException when the store cannot be read
     */
    Optional<CatalogRelease> find(String releaseId);
}
