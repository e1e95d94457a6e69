package dev.fleetlet.server.release.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.server.api.Page;
import dev.fleetlet.server.db.Jdbc;
import dev.fleetlet.server.release.PinnedImage;
import dev.fleetlet.server.release.ReleaseRepository;
import dev.fleetlet.server.release.ReleaseRequirements;
import dev.fleetlet.server.release.StoredRelease;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** {@link ReleaseRepository} over portable SQL ({@code V3__releases.sql}). */
@Singleton
public class JdbcReleaseRepository implements ReleaseRepository {

    private static final ObjectMapper JSON = ProtocolCodec.newMapper();
    private static final String COLUMNS = "id, name, version, notes, spec_json, spec_digest, source_digest, compose, "
            + "requires_json, created_at, created_by";
    private static final String SUMMARY_COLUMNS = "id, name, version, notes, '' AS spec_json, spec_digest, source_digest, "
            + "'' AS compose, requires_json, created_at, created_by";

    private final Jdbc jdbc;

    public JdbcReleaseRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void insert(StoredRelease r) {
        String requires = writeRequires(r.requires());
        jdbc.tx(c -> {
            Jdbc.update(c, "INSERT INTO releases (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    r.id(), r.name(), r.version(), r.notes(), r.specJson(), r.specDigest(), r.sourceDigest(), r.compose(),
                    requires, r.createdAt(), r.createdBy());
            for (PinnedImage image : r.images()) {
                Jdbc.update(c, "INSERT INTO release_images (release_id, service, image, pinned, digest, media_type) "
                                + "VALUES (?, ?, ?, ?, ?, ?)",
                        r.id(), image.service(), image.image(), image.pinned(), image.digest(), image.mediaType());
            }
            return null;
        });
    }

    @Override
    public Optional<StoredRelease> find(String id) {
        return jdbc.tx(c -> one(c, "SELECT " + COLUMNS + " FROM releases WHERE id = ?", id));
    }

    @Override
    public Optional<StoredRelease> findByNameAndVersion(String name, String version) {
        return jdbc.tx(c -> one(c, "SELECT " + COLUMNS + " FROM releases WHERE name = ? AND version = ?", name, version));
    }

    @Override
    public Page<StoredRelease> list(String name, int page, int size) {
        Page.check(page, size);
        boolean byName = name != null && !name.isBlank();
        String where = byName ? " WHERE name = ?" : "";
        Object[] filter = byName ? new Object[] {name} : new Object[0];
        return jdbc.tx(c -> {
            long total = Jdbc.query(c, "SELECT COUNT(*) FROM releases" + where, rs -> rs.getLong(1), filter).get(0);
            Object[] params = byName ? new Object[] {name, size, (long) page * size} : new Object[] {size, (long) page * size};
            List<StoredRelease> items = Jdbc.query(c, "SELECT " + SUMMARY_COLUMNS + " FROM releases" + where
                    + " ORDER BY created_at DESC, id LIMIT ? OFFSET ?", rs -> read(rs, List.of()), params);
            return new Page<>(items, page, size, total);
        });
    }

    @Override
    public boolean delete(String id) {
        return jdbc.tx(c -> {
            Jdbc.update(c, "DELETE FROM release_images WHERE release_id = ?", id);
            return Jdbc.update(c, "DELETE FROM releases WHERE id = ?", id) > 0;
        });
    }

    private static Optional<StoredRelease> one(Connection c, String sql, Object... params) throws SQLException {
        List<StoredRelease> rows = Jdbc.query(c, sql, rs -> read(rs, List.of()), params);
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        StoredRelease r = rows.get(0);
        List<PinnedImage> images = Jdbc.query(c, "SELECT service, image, pinned, digest, media_type FROM release_images "
                        + "WHERE release_id = ? ORDER BY service",
                rs -> new PinnedImage(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)), r.id());
        return Optional.of(new StoredRelease(r.id(), r.name(), r.version(), r.notes(), r.specJson(), r.specDigest(),
                r.sourceDigest(), r.compose(), r.requires(), r.createdAt(), r.createdBy(), images));
    }

    private static StoredRelease read(ResultSet rs, List<PinnedImage> images) throws SQLException {
        return new StoredRelease(rs.getString("id"), rs.getString("name"), rs.getString("version"), rs.getString("notes"),
                rs.getString("spec_json"), rs.getString("spec_digest"), rs.getString("source_digest"), rs.getString("compose"),
                readRequires(rs.getString("requires_json")), Jdbc.instant(rs, "created_at"), rs.getString("created_by"), images);
    }

    static String writeRequires(ReleaseRequirements requires) {
        try {
            return JSON.writeValueAsString(requires);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write requirements: " + e.getMessage(), e);
        }
    }

    static ReleaseRequirements readRequires(String json) {
        try {
            return JSON.readValue(json, ReleaseRequirements.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored requirements are not valid JSON: " + e.getMessage(), e);
        }
    }
}
