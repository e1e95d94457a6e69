package dev.fleetlet.server.dashboard;

import dev.fleetlet.server.api.Page;
import dev.fleetlet.server.db.Jdbc;
import dev.fleetlet.server.device.DeviceStatus;
import dev.fleetlet.server.device.selector.Selector;
import dev.fleetlet.server.device.selector.SelectorSql;
import io.micronaut.context.annotation.Value;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Read-only aggregate queries for the dashboard, each a handful of indexed SQL statements so a page never needs
 * thousands of rows in the browser. Tables owned by later features (reported state, rollouts) are used when the
 * schema has them and left out otherwise (the answer then says so with nulls/empty lists, never invented data).
 */
@Singleton
public class DashboardQueries {

    /** The fleet overview. */
    @Serdeable
    public record Overview(long online, long offline, long decommissioned, List<ReleaseCount> releases,
                           long offlineTooLong, String offlineAlertAfter, List<DeviceRow> longestOffline,
                           List<EventRow> recentProblems, List<RolloutRow> activeRollouts, boolean rolloutsAvailable,
                           Instant at) {
    }

    /** Devices running a release ({@code releaseId} null: no reported release yet). */
    @Serdeable
    public record ReleaseCount(String releaseId, long devices) {
    }

    /** A device in a list. */
    @Serdeable
    public record DeviceRow(String id, String name, String status, Instant lastSeen, String offlineReason,
                            Map<String, String> labels, String releaseId, String model) {
    }

    /** A stored device event. */
    @Serdeable
    public record EventRow(long id, String type, String deviceId, Instant at, String detail) {
    }

    /** An unfinished rollout with its progress counts by device status. */
    @Serdeable
    public record RolloutRow(String id, String releaseId, String phase, Instant createdAt, long devices,
                             Map<String, Long> byStatus) {
    }

    private static final List<String> PROBLEM_TYPES = List.of("device.offline", "device.decommissioned");
    private static final List<String> TERMINAL_PHASES = List.of("COMPLETED", "ABORTED", "ROLLED_BACK");

    private final Jdbc jdbc;
    private final Clock clock;
    private final Duration offlineAlertAfter;
    private final Map<String, Boolean> tables = new ConcurrentHashMap<>();

    public DashboardQueries(Jdbc jdbc, Clock clock,
                            @Value("${fleetlet.dashboard.offline-alert-after:1h}") Duration offlineAlertAfter) {
        if (offlineAlertAfter.isNegative() || offlineAlertAfter.isZero()) {
            throw new IllegalArgumentException("fleetlet.dashboard.offline-alert-after must be positive");
        }
        this.jdbc = jdbc;
        this.clock = clock;
        this.offlineAlertAfter = offlineAlertAfter;
    }

    /** Counts, release distribution, alerts and active rollouts. */
    public Overview overview() {
        Instant now = clock.instant();
        Instant alertBefore = now.minus(offlineAlertAfter);
        return jdbc.tx(c -> {
            long online = 0;
            long offline = 0;
            long decommissioned = 0;
            for (long[] row : Jdbc.query(c, "SELECT lifecycle, online, COUNT(*) FROM devices GROUP BY lifecycle, online",
                    rs -> new long[] {"DECOMMISSIONED".equals(rs.getString(1)) ? 2 : rs.getBoolean(2) ? 1 : 0, rs.getLong(3)})) {
                if (row[0] == 2) {
                    decommissioned += row[1];
                } else if (row[0] == 1) {
                    online += row[1];
                } else {
                    offline += row[1];
                }
            }
            List<ReleaseCount> releases = new ArrayList<>();
            if (hasTable(c, "device_reported_state")) {
                releases.addAll(Jdbc.query(c, "SELECT r.release_id, COUNT(*) FROM devices d LEFT JOIN device_reported_state r "
                        + "ON r.device_id = d.id WHERE d.lifecycle = 'ACTIVE' GROUP BY r.release_id ORDER BY COUNT(*) DESC",
                        rs -> new ReleaseCount(rs.getString(1), rs.getLong(2))));
            }
            long tooLong = Jdbc.query(c, "SELECT COUNT(*) FROM devices WHERE lifecycle = 'ACTIVE' AND online = FALSE "
                    + "AND (last_seen IS NULL OR last_seen < ?)", rs -> rs.getLong(1), alertBefore).get(0);
            List<DeviceRow> longest = withLabels(c, Jdbc.query(c, "SELECT " + COLUMNS + " FROM devices d "
                    + "WHERE d.lifecycle = 'ACTIVE' AND d.online = FALSE AND (d.last_seen IS NULL OR d.last_seen < ?) "
                    + "ORDER BY d.last_seen ASC NULLS FIRST, d.id FETCH FIRST 10 ROWS ONLY", DashboardQueries::row, alertBefore));
            List<EventRow> problems = Jdbc.query(c, "SELECT id, device_id, event_type, occurred_at, detail FROM device_events "
                    + "WHERE event_type IN (?, ?) OR event_type LIKE ? ORDER BY id DESC FETCH FIRST 20 ROWS ONLY",
                    rs -> new EventRow(rs.getLong("id"), rs.getString("event_type"), rs.getString("device_id"),
                            Jdbc.instant(rs, "occurred_at"), rs.getString("detail")),
                    PROBLEM_TYPES.get(0), PROBLEM_TYPES.get(1), "%fail%");
            boolean rolloutsAvailable = hasTable(c, "rollouts") && hasTable(c, "rollout_devices");
            List<RolloutRow> rollouts = rolloutsAvailable ? activeRollouts(c) : List.of();
            return new Overview(online, offline, decommissioned, releases, tooLong, offlineAlertAfter.toString(), longest,
                    problems, rollouts, rolloutsAvailable, now);
        });
    }

    /**
     * One page of devices matching a free-text search over id, name and serial (case-insensitive substring), a
     * label selector and a status, ordered by id.
     */
    public Page<DeviceRow> devices(String query, Selector selector, DeviceStatus status, int page, int size) {
        SelectorSql.Condition cond = SelectorSql.where(selector, "d.id");
        StringBuilder where = new StringBuilder(cond.sql());
        List<Object> params = new ArrayList<>(cond.params());
        if (query != null && !query.isBlank()) {
            String like = "%" + query.trim().toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
                    .replace("_", "\\_") + "%";
            where.append(" AND (LOWER(d.id) LIKE ? ESCAPE '\\' OR LOWER(d.name) LIKE ? ESCAPE '\\' "
                    + "OR LOWER(d.serial) LIKE ? ESCAPE '\\')");
            params.add(like);
            params.add(like);
            params.add(like);
        }
        if (status != null) {
            where.append(switch (status) {
                case ONLINE -> " AND d.lifecycle = 'ACTIVE' AND d.online = TRUE";
                case OFFLINE -> " AND d.lifecycle = 'ACTIVE' AND d.online = FALSE";
                case DECOMMISSIONED -> " AND d.lifecycle = 'DECOMMISSIONED'";
            });
        }
        return jdbc.tx(c -> {
            Object[] p = params.toArray();
            long total = Jdbc.query(c, "SELECT COUNT(*) FROM devices d WHERE " + where, rs -> rs.getLong(1), p).get(0);
            List<Object> paged = new ArrayList<>(params);
            paged.add((long) page * size);
            paged.add(size);
            List<DeviceRow> rows = Jdbc.query(c, "SELECT " + COLUMNS + " FROM devices d WHERE " + where
                    + " ORDER BY d.id OFFSET ? ROWS FETCH NEXT ? ROWS ONLY", DashboardQueries::row, paged.toArray());
            rows = withLabels(c, rows);
            if (!rows.isEmpty() && hasTable(c, "device_reported_state")) {
                rows = withReleases(c, rows);
            }
            return new Page<>(rows, page, size, total);
        });
    }

    /** The device's last reported state as stored (services as the agent's JSON text), or null when none/unsupported. */
    public Map<String, Object> reportedState(String deviceId) {
        return jdbc.tx(c -> {
            if (!hasTable(c, "device_reported_state")) {
                return null;
            }
            List<Map<String, Object>> rows = Jdbc.query(c, "SELECT status, release_id, previous_release_id, reason, services, "
                    + "reported_at, generation FROM device_reported_state WHERE device_id = ?", rs -> {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("status", rs.getString("status"));
                        m.put("releaseId", rs.getString("release_id"));
                        m.put("previousReleaseId", rs.getString("previous_release_id"));
                        m.put("reason", rs.getString("reason"));
                        m.put("services", rs.getString("services"));
                        m.put("reportedAt", String.valueOf(Jdbc.instant(rs, "reported_at")));
                        m.put("generation", rs.getLong("generation"));
                        return m;
                    }, deviceId);
            return rows.isEmpty() ? null : rows.get(0);
        });
    }

    /** Sensor/quantity/unit series the device reported within the last {@code within}, from the minute aggregates. */
    public List<Map<String, String>> series(String deviceId, Duration within) {
        long since = clock.instant().minus(within).getEpochSecond() / 60;
        return jdbc.query("SELECT DISTINCT sensor, quantity, unit FROM telemetry_minute WHERE device_id = ? "
                + "AND minute_epoch >= ? ORDER BY sensor, quantity", rs -> Map.of("sensor", rs.getString(1),
                "quantity", rs.getString(2), "unit", rs.getString(3)), deviceId, since);
    }

    private List<RolloutRow> activeRollouts(Connection c) throws SQLException {
        String in = String.join(",", Collections.nCopies(TERMINAL_PHASES.size(), "?"));
        List<RolloutRow> base = Jdbc.query(c, "SELECT id, release_id, phase, created_at FROM rollouts WHERE phase NOT IN ("
                + in + ") AND phase <> 'DRAFT' ORDER BY created_at DESC FETCH FIRST 10 ROWS ONLY",
                rs -> new RolloutRow(rs.getString(1), rs.getString(2), rs.getString(3), Jdbc.instant(rs, "created_at"), 0,
                        Map.of()), TERMINAL_PHASES.toArray());
        List<RolloutRow> out = new ArrayList<>();
        for (RolloutRow r : base) {
            Map<String, Long> by = new TreeMap<>();
            Jdbc.query(c, "SELECT status, COUNT(*) FROM rollout_devices WHERE rollout_id = ? GROUP BY status", rs -> {
                by.put(rs.getString(1), rs.getLong(2));
                return null;
            }, r.id());
            long total = by.values().stream().mapToLong(Long::longValue).sum();
            out.add(new RolloutRow(r.id(), r.releaseId(), r.phase(), r.createdAt(), total, by));
        }
        return out;
    }

    private static final String COLUMNS = "d.id, d.name, d.lifecycle, d.online, d.last_seen, d.offline_reason, d.model";

    private static DeviceRow row(ResultSet rs) throws SQLException {
        String status = "DECOMMISSIONED".equals(rs.getString("lifecycle")) ? "decommissioned"
                : rs.getBoolean("online") ? "online" : "offline";
        return new DeviceRow(rs.getString("id"), rs.getString("name"), status, Jdbc.instant(rs, "last_seen"),
                rs.getString("offline_reason"), Map.of(), null, rs.getString("model"));
    }

    private static List<DeviceRow> withLabels(Connection c, List<DeviceRow> rows) throws SQLException {
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

    private static List<DeviceRow> withReleases(Connection c, List<DeviceRow> rows) throws SQLException {
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

    private boolean hasTable(Connection c, String table) throws SQLException {
        Boolean known = tables.get(table);
        if (known != null) {
            return known;
        }
        DatabaseMetaData md = c.getMetaData();
        boolean found = false;
        for (String name : List.of(table, table.toUpperCase(Locale.ROOT))) {
            try (ResultSet rs = md.getTables(null, null, name, new String[] {"TABLE"})) {
                found |= rs.next();
            }
        }
        tables.put(table, found);
        return found;
    }
}
