package dev.fleetlet.server.device.internal;

import dev.fleetlet.server.api.Page;
import dev.fleetlet.server.db.Jdbc;
import dev.fleetlet.server.device.Device;
import dev.fleetlet.server.device.DeviceCredentials;
import dev.fleetlet.server.device.DeviceHardware;
import dev.fleetlet.server.device.DeviceRepository;
import dev.fleetlet.server.device.DeviceStatus;
import dev.fleetlet.server.device.Lifecycle;
import dev.fleetlet.server.device.NewDevice;
import dev.fleetlet.server.device.selector.Selector;
import dev.fleetlet.server.device.selector.SelectorSql;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** {@link DeviceRepository} over portable SQL ({@code devices}, {@code device_labels}). */
@Singleton
public class JdbcDeviceRepository implements DeviceRepository {

    private static final String COLUMNS = "d.id, d.serial, d.name, d.fleet, d.lifecycle, d.online, d.last_seen, "
            + "d.offline_reason, d.model, d.arch, d.variant, d.memory_mb, d.kernel, d.os, d.agent_version, "
            + "d.capabilities, d.enrolled_at, d.updated_at, d.decommissioned_at";

    private final Jdbc jdbc;

    public JdbcDeviceRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void insert(NewDevice d) {
        jdbc.tx(c -> {
            DeviceHardware h = d.hardware() == null ? DeviceHardware.UNKNOWN : d.hardware();
            Jdbc.update(c, "INSERT INTO devices (id, serial, name, fleet, lifecycle, online, model, arch, variant, memory_mb, "
                            + "kernel, os, agent_version, capabilities, secret_hash, credential_version, enrolled_at, updated_at) "
                            + "VALUES (?, ?, ?, ?, ?, FALSE, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
                    d.id(), d.serial(), d.name(), d.fleet(), Lifecycle.ACTIVE, h.model(), h.arch(), h.variant(),
                    h.memoryMb(), h.kernel(), h.os(), h.agentVersion(), String.join(",", h.capabilities()),
                    d.secretHash(), d.enrolledAt(), d.enrolledAt());
            writeLabels(c, d.id(), d.labels());
            return null;
        });
    }

    @Override
    public Optional<Device> find(String id) {
        return findWhere("d.id = ?", id);
    }

    @Override
    public Optional<Device> findBySerial(String serial) {
        return findWhere("d.serial = ?", serial);
    }

    private Optional<Device> findWhere(String condition, String param) {
        return jdbc.tx(c -> {
            List<Row> rows = Jdbc.query(c, "SELECT " + COLUMNS + " FROM devices d WHERE " + condition, Row::read, param);
            return rows.isEmpty() ? Optional.empty() : Optional.of(withLabels(c, rows).get(0));
        });
    }

    @Override
    public Page<Device> list(Selector selector, DeviceStatus status, int page, int size) {
        SelectorSql.Condition cond = SelectorSql.where(selector, "d.id");
        List<Object> params = new ArrayList<>(cond.params());
        String where = cond.sql() + statusCondition(status);
        return jdbc.tx(c -> {
            long total = Jdbc.query(c, "SELECT COUNT(*) FROM devices d WHERE " + where, rs -> rs.getLong(1),
                    params.toArray()).get(0);
            List<Object> pageParams = new ArrayList<>(params);
            pageParams.add(size);
            pageParams.add((long) page * size);
            List<Row> rows = Jdbc.query(c, "SELECT " + COLUMNS + " FROM devices d WHERE " + where
                    + " ORDER BY d.id LIMIT ? OFFSET ?", Row::read, pageParams.toArray());
            return new Page<>(withLabels(c, rows), page, size, total);
        });
    }

    private static String statusCondition(DeviceStatus status) {
        if (status == null) {
            return "";
        }
        return switch (status) {
            case ONLINE -> " AND d.lifecycle = 'ACTIVE' AND d.online = TRUE";
            case OFFLINE -> " AND d.lifecycle = 'ACTIVE' AND d.online = FALSE";
            case DECOMMISSIONED -> " AND d.lifecycle = 'DECOMMISSIONED'";
        };
    }

    @Override
    public boolean update(String id, String name, Map<String, String> labels, Instant at) {
        return jdbc.tx(c -> {
            int n = Jdbc.update(c, "UPDATE devices SET name = ?, updated_at = ? WHERE id = ?", name, at, id);
            if (n == 0) {
                return false;
            }
            Jdbc.update(c, "DELETE FROM device_labels WHERE device_id = ?", id);
            writeLabels(c, id, labels);
            return true;
        });
    }

    @Override
    public boolean replaceCredentials(String id, String secretHash, DeviceHardware h, Instant at) {
        return jdbc.update("UPDATE devices SET secret_hash = ?, credential_version = credential_version + 1, model = ?, "
                        + "arch = ?, variant = ?, memory_mb = ?, kernel = ?, os = ?, agent_version = ?, capabilities = ?, "
                        + "updated_at = ? WHERE id = ? AND lifecycle = 'ACTIVE'",
                secretHash, h.model(), h.arch(), h.variant(), h.memoryMb(), h.kernel(), h.os(), h.agentVersion(),
                String.join(",", h.capabilities()), at, id) == 1;
    }

    @Override
    public Optional<DeviceCredentials> credentials(String id) {
        return jdbc.queryOne("SELECT id, lifecycle, secret_hash FROM devices WHERE id = ?",
                rs -> new DeviceCredentials(rs.getString("id"), Lifecycle.valueOf(rs.getString("lifecycle")),
                        rs.getString("secret_hash")), id);
    }

    @Override
    public boolean decommission(String id, Instant at) {
        return jdbc.update("UPDATE devices SET lifecycle = 'DECOMMISSIONED', secret_hash = NULL, "
                + "credential_version = credential_version + 1, online = FALSE, offline_reason = 'decommissioned', "
                + "decommissioned_at = ?, updated_at = ? WHERE id = ? AND lifecycle = 'ACTIVE'", at, at, id) == 1;
    }

    @Override
    public boolean markOnline(String id, Instant at, DeviceHardware h) {
        return jdbc.tx(c -> {
            List<Boolean> was = Jdbc.query(c, "SELECT online FROM devices WHERE id = ? AND lifecycle = 'ACTIVE'",
                    rs -> rs.getBoolean(1), id);
            if (was.isEmpty()) {
                return false;
            }
            if (h == null) {
                Jdbc.update(c, "UPDATE devices SET online = TRUE, last_seen = ?, offline_reason = NULL WHERE id = ?", at, id);
            } else {
                Jdbc.update(c, "UPDATE devices SET online = TRUE, last_seen = ?, offline_reason = NULL, model = ?, arch = ?, "
                                + "variant = ?, memory_mb = ?, kernel = ?, os = ?, agent_version = ?, capabilities = ?, "
                                + "updated_at = ? WHERE id = ?", at, h.model(), h.arch(), h.variant(), h.memoryMb(),
                        h.kernel(), h.os(), h.agentVersion(), String.join(",", h.capabilities()), at, id);
            }
            return !was.get(0);
        });
    }

    @Override
    public boolean markOffline(String id, Instant at, String reason) {
        return jdbc.tx(c -> {
            List<Boolean> was = Jdbc.query(c, "SELECT online FROM devices WHERE id = ? AND lifecycle = 'ACTIVE'",
                    rs -> rs.getBoolean(1), id);
            if (was.isEmpty()) {
                return false;
            }
            Jdbc.update(c, "UPDATE devices SET online = FALSE, last_seen = ?, offline_reason = ? WHERE id = ?", at, reason, id);
            return was.get(0);
        });
    }

    @Override
    public List<String> markAllOffline(Instant at, String reason) {
        return jdbc.tx(c -> {
            List<String> ids = Jdbc.query(c, "SELECT id FROM devices WHERE online = TRUE AND lifecycle = 'ACTIVE'",
                    rs -> rs.getString(1));
            if (ids.isEmpty()) {
                return ids;
            }
            if (at == null) {
                Jdbc.update(c, "UPDATE devices SET online = FALSE, offline_reason = ? WHERE online = TRUE AND lifecycle = 'ACTIVE'",
                        reason);
            } else {
                Jdbc.update(c, "UPDATE devices SET online = FALSE, last_seen = ?, offline_reason = ? "
                        + "WHERE online = TRUE AND lifecycle = 'ACTIVE'", at, reason);
            }
            return ids;
        });
    }

    @Override
    public long count(DeviceStatus status) {
        return jdbc.query("SELECT COUNT(*) FROM devices d WHERE 1=1" + statusCondition(status), rs -> rs.getLong(1)).get(0);
    }

    private static void writeLabels(Connection c, String id, Map<String, String> labels) throws SQLException {
        for (Map.Entry<String, String> e : labels.entrySet()) {
            Jdbc.update(c, "INSERT INTO device_labels (device_id, label_key, label_value) VALUES (?, ?, ?)",
                    id, e.getKey(), e.getValue());
        }
    }

    private static List<Device> withLabels(Connection c, List<Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<String, Map<String, String>> labels = new HashMap<>();
        List<Object> ids = rows.stream().map(Row::id).collect(Collectors.toList());
        String in = String.join(",", Collections.nCopies(ids.size(), "?"));
        Jdbc.query(c, "SELECT device_id, label_key, label_value FROM device_labels WHERE device_id IN (" + in + ")", rs -> {
            labels.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2), rs.getString(3));
            return null;
        }, ids.toArray());
        List<Device> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            out.add(r.toDevice(labels.getOrDefault(r.id(), Map.of())));
        }
        return out;
    }

    /** A devices row before its labels are attached. */
    private record Row(String id, String serial, String name, String fleet, Lifecycle lifecycle, boolean online,
                       Instant lastSeen, String offlineReason, DeviceHardware hardware, Instant enrolledAt,
                       Instant updatedAt, Instant decommissionedAt) {

        static Row read(ResultSet rs) throws SQLException {
            String caps = rs.getString("capabilities");
            DeviceHardware hw = new DeviceHardware(rs.getString("model"), rs.getString("arch"), rs.getString("variant"),
                    Jdbc.nullableLong(rs, "memory_mb"), rs.getString("kernel"), rs.getString("os"),
                    rs.getString("agent_version"),
                    caps == null || caps.isEmpty() ? List.of() : Arrays.asList(caps.split(",")));
            return new Row(rs.getString("id"), rs.getString("serial"), rs.getString("name"), rs.getString("fleet"),
                    Lifecycle.valueOf(rs.getString("lifecycle")), rs.getBoolean("online"), Jdbc.instant(rs, "last_seen"),
                    rs.getString("offline_reason"), hw, Jdbc.instant(rs, "enrolled_at"), Jdbc.instant(rs, "updated_at"),
                    Jdbc.instant(rs, "decommissioned_at"));
        }

        Device toDevice(Map<String, String> labels) {
            DeviceStatus status = lifecycle == Lifecycle.DECOMMISSIONED ? DeviceStatus.DECOMMISSIONED
                    : online ? DeviceStatus.ONLINE : DeviceStatus.OFFLINE;
            return new Device(id, serial, name, fleet, status, labels, hardware, lastSeen, offlineReason, enrolledAt,
                    updatedAt, decommissionedAt);
        }
    }
}
