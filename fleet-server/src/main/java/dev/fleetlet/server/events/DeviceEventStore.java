package dev.fleetlet.server.events;

import dev.fleetlet.server.api.Page;
import dev.fleetlet.server.db.Jdbc;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stored device events ({@code device_events}). The detail map is stored as {@code k=v} lines (keys and values
 * with newlines or '=' in keys are escaped away), newest first on read.
 */
@Singleton
public class DeviceEventStore {

    private final Jdbc jdbc;

    public DeviceEventStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Appends and returns the event with its id. */
    public FleetEvent append(FleetEvent e) {
        long id = jdbc.tx(c -> Jdbc.insertReturningId(c,
                "INSERT INTO device_events (device_id, event_type, occurred_at, detail) VALUES (?, ?, ?, ?)",
                e.deviceId(), e.type(), e.at(), encode(e.data())));
        return new FleetEvent(id, e.type(), e.deviceId(), e.at(), e.data());
    }

    /** One page of a device's events, newest first. */
    public Page<FleetEvent> forDevice(String deviceId, int page, int size) {
        return jdbc.tx(c -> {
            long total = Jdbc.query(c, "SELECT COUNT(*) FROM device_events WHERE device_id = ?", rs -> rs.getLong(1),
                    deviceId).get(0);
            List<FleetEvent> items = Jdbc.query(c, "SELECT id, device_id, event_type, occurred_at, detail FROM device_events "
                    + "WHERE device_id = ? ORDER BY id DESC LIMIT ? OFFSET ?", DeviceEventStore::read, deviceId, size,
                    (long) page * size);
            return new Page<>(items, page, size, total);
        });
    }

    private static FleetEvent read(ResultSet rs) throws SQLException {
        return new FleetEvent(rs.getLong("id"), rs.getString("event_type"), rs.getString("device_id"),
                Jdbc.instant(rs, "occurred_at"), decode(rs.getString("detail")));
    }

    static String encode(Map<String, String> data) {
        StringBuilder sb = new StringBuilder();
        data.forEach((k, v) -> sb.append(clean(k).replace('=', '_')).append('=').append(clean(v)).append('\n'));
        String s = sb.toString();
        return s.length() > 2000 ? s.substring(0, 2000) : s;
    }

    static Map<String, String> decode(String s) {
        Map<String, String> out = new LinkedHashMap<>();
        if (s == null) {
            return out;
        }
        for (String line : s.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return out;
    }

    private static String clean(String s) {
        return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
    }
}
