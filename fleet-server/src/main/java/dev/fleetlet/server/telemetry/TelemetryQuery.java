package dev.fleetlet.server.telemetry;

import dev.fleetlet.server.telemetry.internal.TelemetryStore;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads stored telemetry of one device: raw readings, or per-minute / per-hour aggregates (of readings
 * with quality {@code ok}), ordered by time, at most {@code limit} points.
 */
@Singleton
public class TelemetryQuery {

    /** Raw readings or an aggregation bucket. */
    public enum Bucket {
        RAW("raw"), MINUTE("1m"), HOUR("1h");

        private final String wire;

        Bucket(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        public static Optional<Bucket> fromWire(String s) {
            for (Bucket b : values()) {
                if (b.wire.equals(s.toLowerCase(Locale.ROOT))) {
                    return Optional.of(b);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * One point: a raw reading ({@code value}, {@code quality}, {@code reason}) or an aggregate over the
     * bucket starting at {@code ts} ({@code count}, {@code min}, {@code max}, {@code avg}).
     */
    @Serdeable
    public record Point(String ts, String sensor, String quantity, String unit, Double value, String quality,
                       String reason, Long count, Double min, Double max, Double avg) {
    }

    /** The answer to one query. */
    @Serdeable
    public record Result(String deviceId, String bucket, String from, String to, int limit, boolean truncated,
                         List<Point> points) {
    }

    private final TelemetryStore store;

    TelemetryQuery(TelemetryStore store) {
        this.store = store;
    }

    /** Runs a query; {@code sensor} and {@code quantity} are optional filters (null = all). */
    public Result query(String deviceId, String sensor, String quantity, Instant from, Instant to, Bucket bucket,
                        int limit) throws SQLException {
        List<Point> points = switch (bucket) {
            case RAW -> raw(deviceId, sensor, quantity, from, to, limit + 1);
            case MINUTE, HOUR -> aggregates(deviceId, sensor, quantity, from, to, bucket, limit + 1);
        };
        boolean truncated = points.size() > limit;
        if (truncated) {
            points = new ArrayList<>(points.subList(0, limit));
        }
        return new Result(deviceId, bucket.wire(), from.toString(), to.toString(), limit, truncated, points);
    }

    private List<Point> raw(String deviceId, String sensor, String quantity, Instant from, Instant to, int limit)
            throws SQLException {
        String sql = "SELECT ts, sensor, quantity, unit, reading_value, quality, reason FROM telemetry_reading"
                + " WHERE device_id = ?" + (sensor != null ? " AND sensor = ?" : "")
                + (quantity != null ? " AND quantity = ?" : "")
                + " AND ts >= ? AND ts < ? ORDER BY ts, sensor, quantity LIMIT ?";
        return store.query(sql, ps -> {
            int i = filters(ps, deviceId, sensor, quantity);
            ps.setObject(i++, TelemetryStore.odt(from));
            ps.setObject(i++, TelemetryStore.odt(to));
            ps.setInt(i, limit);
        }, rs -> {
            double v = rs.getDouble(5);
            Double value = rs.wasNull() ? null : v;
            return new Point(rs.getObject(1, OffsetDateTime.class).toInstant().toString(), rs.getString(2),
                    rs.getString(3), rs.getString(4), value, rs.getString(6), rs.getString(7), null, null, null, null);
        });
    }

    private List<Point> aggregates(String deviceId, String sensor, String quantity, Instant from, Instant to,
                                   Bucket bucket, int limit) throws SQLException {
        long fromMinute = Math.floorDiv(from.getEpochSecond(), 60);
        long toMinute = Math.floorDiv(to.getEpochSecond() + 59, 60);
        String where = " FROM telemetry_minute WHERE device_id = ?" + (sensor != null ? " AND sensor = ?" : "")
                + (quantity != null ? " AND quantity = ?" : "") + " AND minute_epoch >= ? AND minute_epoch < ?";
        String sql = bucket == Bucket.MINUTE
                ? "SELECT minute_epoch, sensor, quantity, unit, sample_count, value_sum, value_min, value_max" + where
                        + " ORDER BY minute_epoch, sensor, quantity LIMIT ?"
                : "SELECT minute_epoch / 60, sensor, quantity, MIN(unit), SUM(sample_count), SUM(value_sum),"
                        + " MIN(value_min), MAX(value_max)" + where
                        + " GROUP BY minute_epoch / 60, sensor, quantity ORDER BY 1, sensor, quantity LIMIT ?";
        long secondsPerBucket = bucket == Bucket.MINUTE ? 60 : 3600;
        return store.query(sql, ps -> {
            int i = filters(ps, deviceId, sensor, quantity);
            ps.setLong(i++, fromMinute);
            ps.setLong(i++, toMinute);
            ps.setInt(i, limit);
        }, rs -> {
            long count = rs.getLong(5);
            double sum = rs.getDouble(6);
            return new Point(Instant.ofEpochSecond(rs.getLong(1) * secondsPerBucket).toString(), rs.getString(2), rs.getString(3),
                    rs.getString(4), null, null, null, count, rs.getDouble(7), rs.getDouble(8),
                    count == 0 ? null : sum / count);
        });
    }

    private static int filters(java.sql.PreparedStatement ps, String deviceId, String sensor, String quantity)
            throws SQLException {
        int i = 1;
        ps.setString(i++, deviceId);
        if (sensor != null) {
            ps.setString(i++, sensor);
        }
        if (quantity != null) {
            ps.setString(i++, quantity);
        }
        return i;
    }
}
