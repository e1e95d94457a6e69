package dev.fleetlet.server.dashboard;

import dev.fleetlet.server.api.Page;
import dev.fleetlet.server.db.Jdbc;
import dev.fleetlet.server.device.DeviceStatus;
import dev.fleetlet.server.device.selector.Selector;
import io.micronaut.context.annotation.Value;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

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

    /**
     * One audit-log entry.
     *
     * @param entry     {@code decision} (the engine's audit line), {@code command} (an operator's pause, resume,
     *                  abort or roll back, with its outcome) or {@code created}
     * @param rolloutId the rollout concerned
     * @param at        when it was written or issued
     * @param actor     the user or API token name, {@code engine} for the engine's decisions
     * @param text      what happened, in words
     */
    @Serdeable
    public record AuditRow(String entry, String rolloutId, Instant at, String actor, String text) {
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
    private final SchemaTables tables = new SchemaTables();
    private final Duration overviewTtl;
    private final DeviceListQuery deviceList;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile Snapshot overview;

    public DashboardQueries(Jdbc jdbc, Clock clock,
                            @Value("${fleetlet.dashboard.offline-alert-after:1h}") Duration offlineAlertAfter,
                            @Value("${fleetlet.dashboard.overview-ttl:2s}") Duration overviewTtl) {
        if (offlineAlertAfter.isNegative() || offlineAlertAfter.isZero()) {
            throw new IllegalArgumentException("fleetlet.dashboard.offline-alert-after must be positive");
        }
        if (overviewTtl.isNegative() || overviewTtl.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("fleetlet.dashboard.overview-ttl must be between 0 (no caching) and 1m, was "
                    + overviewTtl);
        }
        this.overviewTtl = overviewTtl;
        this.jdbc = jdbc;
        this.clock = clock;
        this.offlineAlertAfter = offlineAlertAfter;
        this.deviceList = new DeviceListQuery(overviewTtl, tables);
    }

    /**
     * Counts, release distribution, alerts and active rollouts. The answer is the same for every user, so one
     * snapshot serves all sessions for {@code fleetlet.dashboard.overview-ttl} (2 s; the page itself refreshes at
     * most every 2 s); while one caller recomputes an expired snapshot, concurrent callers get the previous one.
     */
    public Overview overview() {
        Snapshot current = overview;
        long now = System.nanoTime();
        if (current != null && now - current.takenNanos() < overviewTtl.toNanos()) {
            return current.overview();
        }
        if (current != null && !refreshing.compareAndSet(false, true)) {
            return current.overview(); // someone else is recomputing it
        }
        try {
            Overview fresh = computeOverview();
            overview = new Snapshot(fresh, System.nanoTime());
            return fresh;
        } finally {
            refreshing.set(false);
        }
    }

    private record Snapshot(Overview overview, long takenNanos) {
    }

    private Overview computeOverview() {
        Instant now = clock.instant();
        Instant alertBefore = now.minus(offlineAlertAfter);
        return jdbc.tx(c -> {
            long online = 0;
            long offline = 0;
            long decommissioned = 0;
            long tooLong = 0;
            // one scan: counts by status and the offline-too-long count
            for (long[] row : Jdbc.query(c, "SELECT lifecycle, online, COUNT(*), SUM(CASE WHEN last_seen IS NULL "
                    + "OR last_seen < ? THEN 1 ELSE 0 END) FROM devices GROUP BY lifecycle, online",
                    rs -> new long[] {"DECOMMISSIONED".equals(rs.getString(1)) ? 2 : rs.getBoolean(2) ? 1 : 0,
                            rs.getLong(3), "ACTIVE".equals(rs.getString(1)) && !rs.getBoolean(2) ? rs.getLong(4) : 0},
                    alertBefore)) {
                if (row[0] == 2) {
                    decommissioned += row[1];
                } else if (row[0] == 1) {
                    online += row[1];
                } else {
                    offline += row[1];
                }
                tooLong += row[2];
            }
            List<ReleaseCount> releases = tables.has(c, "device_reported_state")
                    ? releaseDistribution(c) : List.of();
            List<DeviceRow> longest = DeviceRows.withLabels(c, Jdbc.query(c, "SELECT " + DeviceRows.COLUMNS + " FROM devices d "
                    + "WHERE d.lifecycle = 'ACTIVE' AND d.online = FALSE AND (d.last_seen IS NULL OR d.last_seen < ?) "
                    + "ORDER BY d.last_seen ASC NULLS FIRST, d.id FETCH FIRST 10 ROWS ONLY", DeviceRows::row, alertBefore));
            List<EventRow> problems = Jdbc.query(c, "SELECT id, device_id, event_type, occurred_at, detail FROM device_events "
                    + "WHERE event_type IN (?, ?) OR event_type LIKE ? ORDER BY id DESC FETCH FIRST 20 ROWS ONLY",
                    rs -> new EventRow(rs.getLong("id"), rs.getString("event_type"), rs.getString("device_id"),
                            Jdbc.instant(rs, "occurred_at"), rs.getString("detail")),
                    PROBLEM_TYPES.get(0), PROBLEM_TYPES.get(1), "%fail%");
            boolean rolloutsAvailable = tables.has(c, "rollouts") && tables.has(c, "rollout_devices");
            List<RolloutRow> rollouts = rolloutsAvailable ? activeRollouts(c) : List.of();
            return new Overview(online, offline, decommissioned, releases, tooLong, offlineAlertAfter.toString(), longest,
                    problems, rollouts, rolloutsAvailable, now);
        });
    }

    /**
     * Active devices by reported release, most first; {@code releaseId} null counts active devices without one.
     * Grouped over the reported-state table alone, minus the (few) decommissioned devices' rows, instead of joining
     * every device: the join was the overview's most expensive statement at 10,000 devices.
     */
    private static List<ReleaseCount> releaseDistribution(Connection c) throws SQLException {
        Map<String, Long> by = new HashMap<>(); // null key: reported without a release
        Jdbc.query(c, "SELECT release_id, COUNT(*) FROM device_reported_state GROUP BY release_id", rs -> {
            by.merge(rs.getString(1), rs.getLong(2), Long::sum);
            return null;
        });
        Jdbc.query(c, "SELECT r.release_id, COUNT(*) FROM devices d JOIN device_reported_state r ON r.device_id = d.id "
                + "WHERE d.lifecycle <> 'ACTIVE' GROUP BY r.release_id", rs -> {
                    by.merge(rs.getString(1), -rs.getLong(2), Long::sum);
                    return null;
                });
        long active = Jdbc.query(c, "SELECT COUNT(*) FROM devices WHERE lifecycle = 'ACTIVE'", rs -> rs.getLong(1)).get(0);
        long withRelease = 0;
        List<ReleaseCount> out = new ArrayList<>();
        for (Map.Entry<String, Long> e : by.entrySet()) {
            if (e.getKey() != null && e.getValue() > 0) {
                out.add(new ReleaseCount(e.getKey(), e.getValue()));
                withRelease += e.getValue();
            }
        }
        if (active - withRelease > 0) {
            out.add(new ReleaseCount(null, active - withRelease));
        }
        out.sort(Comparator.comparingLong(ReleaseCount::devices).reversed()
                .thenComparing(r -> r.releaseId() == null ? "" : r.releaseId()));
        return out;
    }

    /**
     * One page of devices matching a free-text search over id, name and serial (case-insensitive substring), a
     * label selector and a status, ordered by id, with the total ({@link DeviceListQuery}).
     */
    public Page<DeviceRow> devices(String query, Selector selector, DeviceStatus status, int page, int size) {
        return jdbc.tx(c -> deviceList.page(c, query, selector, status, page, size));
    }

    /**
     * One page of the audit log, newest first: the rollout engine's decisions ({@code rollout_audit}, actor
     * {@code engine}), operators' rollout commands with their outcome ({@code rollout_commands}) and rollout
     * creations ({@code rollouts.created_by}). Filters: exact rollout id and exact actor (null: all). Empty when
     * the schema has no rollouts.
     */
    public Page<AuditRow> audit(String rolloutId, String actor, int page, int size) {
        return jdbc.tx(c -> {
            if (!tables.has(c, "rollouts") || !tables.has(c, "rollout_audit") || !tables.has(c, "rollout_commands")) {
                return new Page<>(List.of(), page, size, 0);
            }
            StringBuilder where = new StringBuilder(" WHERE 1=1");
            List<Object> params = new ArrayList<>();
            if (rolloutId != null) {
                where.append(" AND a.rollout_id = ?");
                params.add(rolloutId);
            }
            if (actor != null) {
                where.append(" AND a.actor = ?");
                params.add(actor);
            }
            String union = " FROM (SELECT 'decision' AS entry, rollout_id, at, 'engine' AS actor, text, id AS ord "
                    + "FROM rollout_audit "
                    + "UNION ALL SELECT 'command', rollout_id, issued_at, actor, "
                    + "LOWER(kind) || COALESCE(': ' || outcome, ''), seq FROM rollout_commands "
                    + "UNION ALL SELECT 'created', id, created_at, created_by, 'created ' || LOWER(kind) || ' rollout'"
                    + " || COALESCE(' of ' || release_id, '') || CASE WHEN selector = '' THEN ' for all devices'"
                    + " ELSE ' for ' || selector END, 0 FROM rollouts) a" + where;
            long total = Jdbc.query(c, "SELECT COUNT(*)" + union, rs -> rs.getLong(1), params.toArray()).get(0);
            List<Object> paged = new ArrayList<>(params);
            paged.add((long) page * size);
            paged.add(size);
            List<AuditRow> rows = Jdbc.query(c, "SELECT a.entry, a.rollout_id, a.at, a.actor, a.text" + union
                    + " ORDER BY a.at DESC, a.ord DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY",
                    rs -> new AuditRow(rs.getString(1), rs.getString(2), Jdbc.instant(rs, "at"), rs.getString(4),
                            rs.getString(5)), paged.toArray());
            return new Page<>(rows, page, size, total);
        });
    }

    /** The device's last reported state as stored (services as the agent's JSON text), or null when none/unsupported. */
    public Map<String, Object> reportedState(String deviceId) {
        return jdbc.tx(c -> {
            if (!tables.has(c, "device_reported_state")) {
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

}
