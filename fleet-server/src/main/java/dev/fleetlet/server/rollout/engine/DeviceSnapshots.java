package dev.fleetlet.server.rollout.engine;

import dev.fleetlet.server.db.Jdbc;
import dev.fleetlet.server.rollout.DeviceSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@link DeviceSnapshot}s for targeting: the registry ({@code devices}, {@code device_labels}), pins
 * ({@code device_pins}) and the release each device reports running ({@code device_reported_state}; a
 * device that never reported runs nothing as far as the server knows). Two queries for the whole fleet.
 */
public class DeviceSnapshots {

    private final Jdbc jdbc;

    public DeviceSnapshots(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Every registered device, ordered by id; {@code onlyId} non-null restricts to one device. */
    public List<DeviceSnapshot> all(String onlyId) {
        return jdbc.tx(c -> {
            String where = onlyId == null ? "" : " WHERE d.id = ?";
            Object[] args = onlyId == null ? new Object[0] : new Object[] {onlyId};
            Map<String, Map<String, String>> labels = new HashMap<>();
            Jdbc.query(c, "SELECT device_id, label_key, label_value FROM device_labels"
                    + (onlyId == null ? "" : " WHERE device_id = ?"), rs -> labels.computeIfAbsent(rs.getString(1),
                    k -> new HashMap<>()).put(rs.getString(2), rs.getString(3)), args);
            List<DeviceSnapshot> out = new ArrayList<>();
            Jdbc.query(c, "SELECT d.id, d.arch, d.memory_mb, d.online, d.last_seen, d.decommissioned_at, "
                    + "p.release_id AS pinned, r.release_id AS running FROM devices d "
                    + "LEFT JOIN device_pins p ON p.device_id = d.id "
                    + "LEFT JOIN device_reported_state r ON r.device_id = d.id" + where + " ORDER BY d.id", rs -> out.add(
                    new DeviceSnapshot(rs.getString("id"), labels.get(rs.getString("id")), rs.getString("arch"),
                            Jdbc.nullableLong(rs, "memory_mb"), rs.getString("pinned"), rs.getString("running"),
                            rs.getBoolean("online"), Jdbc.instant(rs, "last_seen"),
                            Jdbc.instant(rs, "decommissioned_at") != null)), args);
            return out;
        });
    }
}
