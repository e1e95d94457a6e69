package dev.fleetlet.server.alerts;

import dev.fleetlet.protocol.message.ReportedState;
import dev.fleetlet.server.api.ApiException;
import dev.fleetlet.server.api.ErrorCode;
import dev.fleetlet.server.api.Page;
import dev.fleetlet.server.db.Jdbc;
import dev.fleetlet.server.events.EventBus;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code device_alerts} equal to the alerts that hold now and answers queries over it. Reported states
 * ({@link #onReports}, from the reported-state intake) decide every kind but {@code offline}, which
 * {@link #sweepOffline()} decides from presence ({@code devices.online}, {@code last_seen}) on a timer. An
 * alert that starts to hold is inserted with {@code since} = now and published as {@value #RAISED} on the
 * event bus (stored with the device's events, streamed over SSE); one that stops holding is deleted and
 * published as {@value #CLEARED}. Decommissioned devices lose their alerts at the next sweep.
 */
public class AlertService {

    public static final String RAISED = "alert.raised";
    public static final String CLEARED = "alert.cleared";
    private static final Logger log = LoggerFactory.getLogger(AlertService.class);
    private static final int LATEST = 10;
    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
            dev.fleetlet.protocol.codec.ProtocolCodec.newMapper();

    /** Most offline alerts raised (and most cleared) by one sweep. */
    static final int MAX_CHANGES_PER_SWEEP = 500;

    private final Jdbc jdbc;
    private final EventBus bus;
    private final Clock clock;
    private final AlertSettings settings;

    public AlertService(Jdbc jdbc, EventBus bus, Clock clock, AlertSettings settings) {
        this.jdbc = jdbc;
        this.bus = bus;
        this.clock = clock;
        this.settings = settings;
    }

    public AlertSettings settings() {
        return settings;
    }

    private record Change(String deviceId, AlertKind kind, String detail, boolean raised) {
    }

    /** Re-evaluates the report-driven alerts of each reporting device. Never throws. */
    public void onReports(List<ReportedState> reports) {
        if (reports.isEmpty()) {
            return;
        }
        try {
            Instant now = clock.instant();
            List<Change> changes = jdbc.tx(c -> applyReports(c, reports, now));
            publish(changes);
        } catch (RuntimeException e) {
            log.error("alerts not evaluated reports={} error={}", reports.size(), e.toString(), e);
        }
    }

    private List<Change> applyReports(Connection c, List<ReportedState> reports, Instant now) throws SQLException {
        Map<String, Map<AlertKind, String>> existing = new HashMap<>();
        List<String> ids = reports.stream().map(ReportedState::deviceId).distinct().toList();
        for (int from = 0; from < ids.size(); from += 500) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
            Jdbc.query(c, "SELECT device_id, kind, detail FROM device_alerts WHERE kind <> 'offline' AND device_id IN ("
                    + "?,".repeat(chunk.size() - 1) + "?)", rs -> {
                        String device = rs.getString(1);
                        String detail = rs.getString(3);
                        AlertKind.of(rs.getString(2)).ifPresent(k -> existing.computeIfAbsent(device,
                                d -> new EnumMap<>(AlertKind.class)).put(k, detail));
                        return device;
                    }, chunk.toArray());
        }
        List<Change> changes = new ArrayList<>();
        for (ReportedState r : reports) {
            Map<AlertKind, String> before = existing.getOrDefault(r.deviceId(), Map.of());
            Map<AlertKind, String> now2 = AlertRules.evaluate(r, settings);
            for (Map.Entry<AlertKind, String> e : now2.entrySet()) {
                String old = before.get(e.getKey());
                if (old == null) {
                    Jdbc.update(c, "INSERT INTO device_alerts (device_id, kind, since, detail) VALUES (?, ?, ?, ?)",
                            r.deviceId(), e.getKey().wire(), now, e.getValue());
                    changes.add(new Change(r.deviceId(), e.getKey(), e.getValue(), true));
                } else if (!old.equals(e.getValue())) {
                    Jdbc.update(c, "UPDATE device_alerts SET detail = ? WHERE device_id = ? AND kind = ?",
                            e.getValue(), r.deviceId(), e.getKey().wire());
                }
            }
            for (Map.Entry<AlertKind, String> e : before.entrySet()) {
                if (!now2.containsKey(e.getKey())) {
                    Jdbc.update(c, "DELETE FROM device_alerts WHERE device_id = ? AND kind = ?", r.deviceId(),
                            e.getKey().wire());
                    changes.add(new Change(r.deviceId(), e.getKey(), e.getValue(), false));
                }
            }
        }
        return changes;
    }

    /**
     * Raises {@code offline} for active devices offline longer than the setting, clears it for devices back
     * online, and drops every alert of decommissioned devices. Returns the number of changes. Never throws.
     * When a whole site goes dark (or the server was down for long), at most {@value #MAX_CHANGES_PER_SWEEP}
     * alerts are raised and as many cleared per sweep, longest offline first, so that thousands of alert events
     * (each stored with the device's events) never crowd out ingestion and rollouts; the rest follow at the next
     * sweeps.
     */
    public int sweepOffline() {
        try {
            Instant now = clock.instant();
            Instant cutoff = now.minus(settings.offlineAfter());
            List<Change> changes = jdbc.tx(c -> {
                List<Change> out = new ArrayList<>();
                List<Alert> raise = Jdbc.query(c, "SELECT d.id, d.last_seen FROM devices d WHERE d.lifecycle = 'ACTIVE' "
                        + "AND d.online = FALSE AND d.last_seen IS NOT NULL AND d.last_seen < ? AND NOT EXISTS "
                        + "(SELECT 1 FROM device_alerts a WHERE a.device_id = d.id AND a.kind = 'offline') "
                        + "ORDER BY d.last_seen LIMIT ?",
                        rs -> new Alert(rs.getString(1), AlertKind.OFFLINE.wire(), Jdbc.instant(rs, "last_seen"),
                                "offline for more than " + human(settings.offlineAfter())), cutoff, MAX_CHANGES_PER_SWEEP);
                for (Alert a : raise) {
                    Jdbc.update(c, "INSERT INTO device_alerts (device_id, kind, since, detail) VALUES (?, ?, ?, ?)",
                            a.deviceId(), a.kind(), a.since(), a.detail());
                    out.add(new Change(a.deviceId(), AlertKind.OFFLINE, a.detail(), true));
                }
                List<String[]> clear = Jdbc.query(c, "SELECT a.device_id, a.kind, a.detail FROM device_alerts a "
                        + "JOIN devices d ON d.id = a.device_id WHERE (a.kind = 'offline' AND d.online = TRUE) "
                        + "OR d.lifecycle <> 'ACTIVE' LIMIT ?", rs -> new String[] {rs.getString(1), rs.getString(2),
                        rs.getString(3)}, MAX_CHANGES_PER_SWEEP);
                for (String[] a : clear) {
                    Jdbc.update(c, "DELETE FROM device_alerts WHERE device_id = ? AND kind = ?", a[0], a[1]);
                    AlertKind.of(a[1]).ifPresent(k -> out.add(new Change(a[0], k, a[2], false)));
                }
                return out;
            });
            publish(changes);
            if (changes.size() >= MAX_CHANGES_PER_SWEEP) {
                log.info("offline alert sweep reached its limit changes={}; the rest follow at the next sweeps",
                        changes.size());
            }
            return changes.size();
        } catch (RuntimeException e) {
            log.error("offline alert sweep failed error={}", e.toString(), e);
            return 0;
        }
    }

    private void publish(List<Change> changes) {
        for (Change ch : changes) {
            Map<String, String> data = new LinkedHashMap<>();
            data.put("kind", ch.kind().wire());
            data.put("detail", ch.detail());
            bus.publish(ch.raised() ? RAISED : CLEARED, ch.deviceId(), data);
            log.info("alert {} deviceId={} kind={} detail={}", ch.raised() ? "raised" : "cleared", ch.deviceId(),
                    ch.kind().wire(), ch.detail());
        }
    }

    /**
     * A page of the alerts holding now, newest first, optionally only of one kind and/or device.
     *
     * @throws ApiException naming {@code kind} when it is not a known kind, or page/size when out of range
     */
    public Page<Alert> list(String kind, String deviceId, int page, int size) {
        Page.check(page, size);
        List<Object> params = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        if (kind != null && !kind.isBlank()) {
            AlertKind k = AlertKind.of(kind.strip()).orElseThrow(() -> ApiException.field(ErrorCode.VALIDATION_FAILED,
                    "kind", "unknown alert kind '" + kind + "'; known: " + java.util.Arrays.stream(AlertKind.values())
                            .map(AlertKind::wire).toList()));
            where.append(" AND kind = ?");
            params.add(k.wire());
        }
        if (deviceId != null && !deviceId.isBlank()) {
            where.append(" AND device_id = ?");
            params.add(deviceId.strip());
        }
        return jdbc.tx(c -> {
            long total = Jdbc.query(c, "SELECT COUNT(*) FROM device_alerts" + where, rs -> rs.getLong(1),
                    params.toArray()).get(0);
            List<Object> paged = new ArrayList<>(params);
            paged.add(size);
            paged.add((long) page * size);
            List<Alert> items = Jdbc.query(c, "SELECT device_id, kind, since, detail FROM device_alerts" + where
                    + " ORDER BY since DESC, device_id, kind LIMIT ? OFFSET ?", AlertService::alert, paged.toArray());
            return new Page<>(items, page, size, total);
        });
    }

    /** Every alert of one device, newest first. */
    public List<Alert> forDevice(String deviceId) {
        return jdbc.query("SELECT device_id, kind, since, detail FROM device_alerts WHERE device_id = ? "
                + "ORDER BY since DESC, kind", AlertService::alert, deviceId);
    }

    /** The latest stored system health of a device (JSON as the device sent it) and its alerts. */
    public DeviceHealth health(String deviceId) {
        List<Object[]> rows = jdbc.query("SELECT reported_at, system_health FROM device_reported_state WHERE device_id = ?",
                rs -> new Object[] {Jdbc.instant(rs, "reported_at"), rs.getString("system_health")}, deviceId);
        Instant at = rows.isEmpty() ? null : (Instant) rows.get(0)[0];
        Map<String, Object> system = null;
        if (!rows.isEmpty() && rows.get(0)[1] != null) {
            try {
                system = MAPPER.readValue((String) rows.get(0)[1],
                        new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
            } catch (java.io.IOException e) {
                log.warn("stored system health unreadable deviceId={} error={}", deviceId, e.toString());
            }
        }
        return new DeviceHealth(at, system, forDevice(deviceId));
    }

    /** Counts per kind and the latest alerts. */
    public AlertSummary summary() {
        return jdbc.tx(c -> {
            Map<String, Long> byKind = new LinkedHashMap<>();
            Jdbc.query(c, "SELECT kind, COUNT(*) FROM device_alerts GROUP BY kind ORDER BY kind",
                    rs -> byKind.put(rs.getString(1), rs.getLong(2)));
            long total = byKind.values().stream().mapToLong(Long::longValue).sum();
            List<Alert> latest = Jdbc.query(c, "SELECT device_id, kind, since, detail FROM device_alerts "
                    + "ORDER BY since DESC, device_id, kind LIMIT " + LATEST, AlertService::alert);
            return new AlertSummary(total, byKind, latest);
        });
    }

    private static Alert alert(java.sql.ResultSet rs) throws SQLException {
        return new Alert(rs.getString("device_id"), rs.getString("kind"), Jdbc.instant(rs, "since"),
                rs.getString("detail"));
    }

    static String human(java.time.Duration d) {
        long s = d.toSeconds();
        if (s % 3600 == 0) {
            return (s / 3600) + " h";
        }
        if (s % 60 == 0) {
            return (s / 60) + " min";
        }
        return s + " s";
    }
}
