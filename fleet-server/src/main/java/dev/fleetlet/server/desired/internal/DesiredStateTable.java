package dev.fleetlet.server.desired.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.server.db.DataAccessException;
import dev.fleetlet.server.db.Jdbc;
import dev.fleetlet.server.desired.Assignment;
import dev.fleetlet.server.desired.StoredDesiredState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * SQL of {@code device_desired_state}: set-based generation bumps (UPDATE per IN list, one SELECT of the new
 * rows, a batched INSERT for devices without a row), always on the caller's connection so a bump commits
 * together with whatever the caller records (e.g. a rollout device marked dispatched).
 */
public final class DesiredStateTable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<TreeMap<String, String>> MAP = new TypeReference<>() { };

    private DesiredStateTable() {
    }

    /**
     * Bumps the generation of every assignment's device (a device listed twice takes the last assignment)
     * and returns the new rows in input order (one per device). Set-based: assignments with the same release,
     * configuration and cause (a rollout wave) are written by one {@code UPDATE ... WHERE device_id IN (...)}
     * per {@value #IN_CHUNK} devices; one SELECT per {@value #IN_CHUNK} reads the new generations back, and
     * devices without a row yet are inserted at generation 1 in a JDBC batch.
     */
    public static List<StoredDesiredState> bump(Connection c, List<Assignment> assignments, Instant now) throws SQLException {
        Map<String, Assignment> byDevice = new LinkedHashMap<>();
        for (Assignment a : assignments) {
            byDevice.remove(a.deviceId());
            byDevice.put(a.deviceId(), a);
        }
        List<String> ids = new ArrayList<>(byDevice.keySet());
        Map<Assignment, List<String>> byValues = new LinkedHashMap<>();
        for (Assignment a : byDevice.values()) {
            byValues.computeIfAbsent(new Assignment("", a.releaseId(), a.config(), a.cause()), k -> new ArrayList<>())
                    .add(a.deviceId());
        }
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        for (Map.Entry<Assignment, List<String>> e : byValues.entrySet()) {
            Assignment v = e.getKey();
            String sql = "UPDATE device_desired_state SET generation = generation + 1, release_id = ?, cause = ?, "
                    + "updated_at = ?" + (v.config() == null ? "" : ", config = ?") + " WHERE device_id IN (";
            List<String> group = e.getValue();
            for (int from = 0; from < group.size(); from += IN_CHUNK) {
                List<String> chunk = group.subList(from, Math.min(group.size(), from + IN_CHUNK));
                try (PreparedStatement up = c.prepareStatement(sql + "?,".repeat(chunk.size() - 1) + "?)")) {
                    int i = 1;
                    up.setString(i++, v.releaseId());
                    up.setString(i++, v.cause());
                    up.setObject(i++, at);
                    if (v.config() != null) {
                        up.setString(i++, json(v.config()));
                    }
                    for (String id : chunk) {
                        up.setString(i++, id);
                    }
                    up.executeUpdate();
                }
            }
        }
        Map<String, StoredDesiredState> after = find(c, ids);
        if (after.size() < ids.size()) {
            try (PreparedStatement in = c.prepareStatement("INSERT INTO device_desired_state (device_id, generation, "
                    + "release_id, config, cause, updated_at) VALUES (?, 1, ?, ?, ?, ?)")) {
                for (String id : ids) {
                    if (after.containsKey(id)) {
                        continue;
                    }
                    Assignment a = byDevice.get(id);
                    Map<String, String> config = a.config() == null ? Map.of() : a.config();
                    in.setString(1, id);
                    in.setString(2, a.releaseId());
                    in.setString(3, json(config));
                    in.setString(4, a.cause());
                    in.setObject(5, at);
                    in.addBatch();
                    after.put(id, new StoredDesiredState(id, 1, a.releaseId(), config, a.cause(), now));
                }
                in.executeBatch();
            }
        }
        List<StoredDesiredState> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            out.add(after.get(id));
        }
        return out;
    }

    /** Most device ids in one {@code IN (...)} list. */
    static final int IN_CHUNK = 500;

    /** The stored rows of {@code ids} (missing devices are absent from the map). */
    public static Map<String, StoredDesiredState> find(Connection c, List<String> ids) throws SQLException {
        Map<String, StoredDesiredState> out = new HashMap<>();
        for (int from = 0; from < ids.size(); from += IN_CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IN_CHUNK));
            String sql = "SELECT device_id, generation, release_id, config, cause, updated_at FROM device_desired_state "
                    + "WHERE device_id IN (" + "?,".repeat(chunk.size() - 1) + "?)";
            for (StoredDesiredState s : Jdbc.query(c, sql, DesiredStateTable::read, chunk.toArray())) {
                out.put(s.deviceId(), s);
            }
        }
        return out;
    }

    /**
     * Desired states the device has not confirmed yet: no reported state, or a reported generation below
     * the desired one. Ordered by device id, {@code limit} rows after {@code afterDeviceId} (keyset paging).
     */
    public static List<StoredDesiredState> unconfirmed(Connection c, String afterDeviceId, int limit) throws SQLException {
        return Jdbc.query(c, "SELECT d.device_id, d.generation, d.release_id, d.config, d.cause, d.updated_at "
                + "FROM device_desired_state d LEFT JOIN device_reported_state r ON r.device_id = d.device_id "
                + "WHERE d.device_id > ? AND (r.device_id IS NULL OR r.generation < d.generation) "
                + "ORDER BY d.device_id LIMIT ?", DesiredStateTable::read, afterDeviceId, limit);
    }

    static StoredDesiredState read(ResultSet rs) throws SQLException {
        return new StoredDesiredState(rs.getString("device_id"), rs.getLong("generation"), rs.getString("release_id"),
                map(rs.getString("config")), rs.getString("cause"), Jdbc.instant(rs, "updated_at"));
    }

    static String json(Map<String, String> config) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(config));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("config: cannot be written as JSON", e);
        }
    }

    static Map<String, String> map(String json) {
        try {
            return json == null || json.isEmpty() ? Map.of() : JSON.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new DataAccessException("device_desired_state.config is not a JSON object: " + e.getOriginalMessage(), e);
        }
    }
}
