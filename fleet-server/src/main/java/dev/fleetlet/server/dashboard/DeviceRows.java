package dev.fleetlet.server.dashboard;

import dev.fleetlet.server.dashboard.DashboardQueries.DeviceRow;
import dev.fleetlet.server.db.Jdbc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Device rows as the dashboard lists them: the columns every list selects, the row mapping, and the labels and
 * reported releases of one page fetched with one {@code IN (...)} statement each (never per row).
 */
final class DeviceRows {

    private DeviceRows() {
    }

    static final String COLUMNS = "d.id, d.name, d.lifecycle, d.online, d.last_seen, d.offline_reason, d.model";

    static DeviceRow row(ResultSet rs) throws SQLException {
        String status = "DECOMMISSIONED".equals(rs.getString("lifecycle")) ? "decommissioned"
                : rs.getBoolean("online") ? "online" : "offline";
        return new DeviceRow(rs.getString("id"), rs.getString("name"), status, Jdbc.instant(rs, "last_seen"),
                rs.getString("offline_reason"), Map.of(), null, rs.getString("model"));
    }

    static List<DeviceRow> withLabels(Connection c, List<DeviceRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return rows;
        }
        Map<String, Map<String, String>> labels = new HashMap<>();
        String in = String.join(",", Collections.nCopies(rows.size(), "?"));
        Jdbc.query(c, "SELECT device_id, label_key, label_value FROM device_labels WHERE device_id IN (" + in + ")", rs -> {
            labels.computeIfAbsent(rs.getString(1), k -> new TreeMap<>()).put(rs.getString(2), rs.getString(3));
            return null;
        }, rows.stream().map(DeviceRow::id).toArray());
        List<DeviceRow> out = new ArrayList<>(rows.size());
        for (DeviceRow r : rows) {
            out.add(new DeviceRow(r.id(), r.name(), r.status(), r.lastSeen(), r.offlineReason(),
                    labels.getOrDefault(r.id(), Map.of()), r.releaseId(), r.model()));
        }
        return out;
    }

    static List<DeviceRow> withReleases(Connection c, List<DeviceRow> rows) throws SQLException {
        Map<String, String> releases = new HashMap<>();
        String in = String.join(",", Collections.nCopies(rows.size(), "?"));
        Jdbc.query(c, "SELECT device_id, release_id FROM device_reported_state WHERE device_id IN (" + in + ")", rs -> {
            releases.put(rs.getString(1), rs.getString(2));
            return null;
        }, rows.stream().map(DeviceRow::id).toArray());
        List<DeviceRow> out = new ArrayList<>(rows.size());
        for (DeviceRow r : rows) {
            out.add(new DeviceRow(r.id(), r.name(), r.status(), r.lastSeen(), r.offlineReason(), r.labels(),
                    releases.get(r.id()), r.model()));
        }
        return out;
    }
}
