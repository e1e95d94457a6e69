package dev.fleetlet.server.release.internal;

import dev.fleetlet.server.db.Jdbc;
import dev.fleetlet.server.release.ReleaseReferences;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@link ReleaseReferences} that reads the rollout engine's tables without depending on their code: for each of
 * {@link #TABLES} that exists in the current schema, every column named {@code release_id} or ending in
 * {@code _release_id} or {@code _release} ({@code rollout_devices.target_release}) is counted for the release. Tables or columns that do not exist (yet) are skipped, so
 * the release feature works with or without the rollout migrations.
 */
@Singleton
public class TableReleaseReferences implements ReleaseReferences {

    /** Tables that may point at releases: pins, desired and reported states, rollouts and their devices. */
    static final List<String> TABLES = List.of("device_pins", "device_desired_state", "device_reported_state",
            "rollouts", "rollout_devices");

    private final Jdbc jdbc;
    private final List<String> tables;

    @Inject
    public TableReleaseReferences(Jdbc jdbc) {
        this(jdbc, TABLES);
    }

    /** Looks at {@code tables} instead of {@link #TABLES} (tests). */
    public TableReleaseReferences(Jdbc jdbc, List<String> tables) {
        this.jdbc = jdbc;
        this.tables = List.copyOf(tables);
    }

    @Override
    public List<String> referencesTo(String releaseId) {
        return jdbc.tx(c -> {
            List<String> reasons = new ArrayList<>();
            for (String table : tables) {
                for (String column : releaseColumns(c, table)) {
                    long n = Jdbc.query(c, "SELECT COUNT(*) FROM " + table + " WHERE " + column + " = ?",
                            rs -> rs.getLong(1), releaseId).get(0);
                    if (n > 0) {
                        reasons.add(n + " row" + (n == 1 ? "" : "s") + " of " + table + " (" + column + ")");
                    }
                }
            }
            return reasons;
        });
    }

    static boolean isReleaseColumn(String column) {
        return column.equals("release_id") || column.endsWith("_release_id") || column.endsWith("_release");
    }

    private static List<String> releaseColumns(Connection c, String table) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        String schema = c.getSchema();
        List<String> columns = new ArrayList<>();
        for (String name : List.of(table, table.toUpperCase(Locale.ROOT))) {
            try (ResultSet rs = meta.getColumns(null, schema, name, null)) {
                while (rs.next()) {
                    String column = rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT);
                    if (isReleaseColumn(column) && !columns.contains(column)) {
                        columns.add(column);
                    }
                }
            }
            if (!columns.isEmpty()) {
                break;
            }
        }
        return columns;
    }
}
