package dev.fleetlet.server.release;

import dev.fleetlet.server.api.Page;
import java.util.Optional;

/**
 * Storage of releases (tables {@code releases}, {@code release_images}). Rows are never updated, only
 * inserted and (when unused) deleted.
 */
public interface ReleaseRepository {

    /**
     * Inserts a release with its images in one transaction.
     *
     * @throws dev.fleetlet.server.db.DuplicateKeyException when the id or the (name, version) pair exists
     */
    void insert(StoredRelease release);

    Optional<StoredRelease> find(String id);

    Optional<StoredRelease> findByNameAndVersion(String name, String version);

    /** Releases newest first, optionally only those with exactly {@code name}; images are not loaded (empty). */
    Page<StoredRelease> list(String name, int page, int size);

    /** Deletes a release and its images; false when there was none. */
    boolean delete(String id);
}
