package dev.fleetlet.server.enrollment.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.server.api.Page;
import dev.fleetlet.server.db.Jdbc;
import dev.fleetlet.server.device.DeviceHardware;
import dev.fleetlet.server.enrollment.PendingEnrollment;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** {@code pending_enrollments} rows; the secret hash is read only by {@link #secretHash}. */
@Singleton
public class PendingStore {

    private static final String COLUMNS = "id, serial, token_id, fleet, hardware_json, requested_at, last_seen_at, state, "
            + "decided_at, decided_by, device_id";
    private static final ObjectMapper JSON = ProtocolCodec.newMapper();

    private final Jdbc jdbc;

    public PendingStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(String id, String serial, String tokenId, String fleet, String secretHash, DeviceHardware hw, Instant at) {
        jdbc.update("INSERT INTO pending_enrollments (id, serial, token_id, fleet, secret_hash, hardware_json, requested_at, "
                + "last_seen_at, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'PENDING')", id, serial, tokenId, fleet, secretHash,
                json(hw), at, at);
    }

    /** A retry of a pending request: the newest secret and facts win. */
    public void refresh(String id, String tokenId, String secretHash, DeviceHardware hw, Instant at) {
        jdbc.update("UPDATE pending_enrollments SET token_id = ?, secret_hash = ?, hardware_json = ?, last_seen_at = ? "
                + "WHERE id = ? AND state = 'PENDING'", tokenId, secretHash, json(hw), at, id);
    }

    public Optional<PendingEnrollment> bySerial(String serial) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM pending_enrollments WHERE serial = ?", PendingStore::read, serial);
    }

    public Optional<PendingEnrollment> byId(String id) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM pending_enrollments WHERE id = ?", PendingStore::read, id);
    }

    public Optional<String> secretHash(String id) {
        return jdbc.queryOne("SELECT secret_hash FROM pending_enrollments WHERE id = ?", rs -> rs.getString(1), id);
    }

    /** Records a decision; false when the request was no longer pending. */
    public boolean decide(String id, PendingEnrollment.State state, String by, String deviceId, Instant at) {
        return jdbc.update("UPDATE pending_enrollments SET state = ?, decided_by = ?, device_id = ?, decided_at = ? "
                + "WHERE id = ? AND state = 'PENDING'", state, by, deviceId, at, id) == 1;
    }

    public Page<PendingEnrollment> list(PendingEnrollment.State state, int page, int size) {
        long total = jdbc.query("SELECT COUNT(*) FROM pending_enrollments WHERE state = ?", rs -> rs.getLong(1), state).get(0);
        return new Page<>(jdbc.query("SELECT " + COLUMNS + " FROM pending_enrollments WHERE state = ? ORDER BY requested_at, id "
                + "LIMIT ? OFFSET ?", PendingStore::read, state, size, (long) page * size), page, size, total);
    }

    private static PendingEnrollment read(ResultSet rs) throws SQLException {
        return new PendingEnrollment(rs.getString("id"), rs.getString("serial"), rs.getString("token_id"), rs.getString("fleet"),
                hardware(rs.getString("hardware_json")), Jdbc.instant(rs, "requested_at"), Jdbc.instant(rs, "last_seen_at"),
                PendingEnrollment.State.valueOf(rs.getString("state")), Jdbc.instant(rs, "decided_at"),
                rs.getString("decided_by"), rs.getString("device_id"));
    }

    private static String json(DeviceHardware hw) {
        try {
            return JSON.writeValueAsString(hw == null ? DeviceHardware.UNKNOWN : hw);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode hardware facts", e);
        }
    }

    private static DeviceHardware hardware(String json) {
        if (json == null) {
            return DeviceHardware.UNKNOWN;
        }
        try {
            return JSON.readValue(json, DeviceHardware.class);
        } catch (JsonProcessingException e) {
            return DeviceHardware.UNKNOWN;
        }
    }
}
