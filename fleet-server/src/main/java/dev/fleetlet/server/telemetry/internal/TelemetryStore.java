package dev.fleetlet.server.telemetry.internal;

import dev.fleetlet.protocol.message.Reading;
import dev.fleetlet.protocol.message.TelemetryBatch;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Plain-JDBC access to the telemetry tables of {@code V2__telemetry.sql}. Portable SQL only (H2 and
 * PostgreSQL): no upserts; the per-minute aggregates are maintained with UPDATE-then-INSERT, which is
 * safe because a single writer thread owns them.
 */
public final class TelemetryStore {

    private static final String INSERT_BATCH = "INSERT INTO telemetry_batch (device_id, stream, seq, sent_at, received_at,"
            + " stored_at, clock_synced, dropped, reading_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_READING = "INSERT INTO telemetry_reading (device_id, sensor, quantity, unit, ts,"
            + " reading_value, quality, reason, stream, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE_MINUTE = "UPDATE telemetry_minute SET sample_count = sample_count + ?,"
            + " value_sum = value_sum + ?, value_min = LEAST(value_min, ?), value_max = GREATEST(value_max, ?)"
            + " WHERE device_id = ? AND sensor = ? AND quantity = ? AND minute_epoch = ?";
    private static final String INSERT_MINUTE = "INSERT INTO telemetry_minute (device_id, sensor, quantity, minute_epoch,"
            + " unit, sample_count, value_sum, value_min, value_max) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final DataSource dataSource;

    public TelemetryStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The highest stored sequence number of a stream, 0 when none is stored. */
    public long maxSeq(String deviceId, String stream) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT MAX(seq) FROM telemetry_batch WHERE device_id = ? AND stream = ?")) {
            ps.setString(1, deviceId);
            ps.setString(2, stream);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        }
    }

    /** Whether the batch {@code (deviceId, stream, seq)} is stored. */
    public boolean batchExists(String deviceId, String stream, long seq) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return exists(c, deviceId, stream, seq);
        }
    }

    private static boolean exists(Connection c, String deviceId, String stream, long seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM telemetry_batch WHERE device_id = ? AND stream = ? AND seq = ?")) {
            ps.setString(1, deviceId);
            ps.setString(2, stream);
            ps.setLong(3, seq);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Writes the batches, their readings and the aggregate updates in one transaction.
     *
     * <p>If the database already holds one of the batches (the uniqueness guard fired: something outside
     * this process's de-duplication stored it), the transaction is rolled back and retried without the
     * stored ones.
     *
     * @return the batches that were found already stored and so not written again
     */
    public List<PendingBatch> write(List<PendingBatch> batches, Instant storedAt) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                try {
                    insert(c, batches, storedAt);
                    c.commit();
                    return List.of();
                } catch (SQLException e) {
                    c.rollback();
                    if (!isUniqueViolation(e)) {
                        throw e;
                    }
                }
                List<PendingBatch> fresh = new ArrayList<>();
                List<PendingBatch> stored = new ArrayList<>();
                for (PendingBatch p : batches) {
                    TelemetryBatch b = p.batch();
                    (exists(c, b.deviceId(), b.stream(), b.seq()) ? stored : fresh).add(p);
                }
                insert(c, fresh, storedAt);
                c.commit();
                return stored;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    private static void insert(Connection c, List<PendingBatch> batches, Instant storedAt) throws SQLException {
        if (batches.isEmpty()) {
            return;
        }
        Map<MinuteKey, MinuteAggregate> minutes = new LinkedHashMap<>();
        try (PreparedStatement batchInsert = c.prepareStatement(INSERT_BATCH);
             PreparedStatement readingInsert = c.prepareStatement(INSERT_READING)) {
            for (PendingBatch p : batches) {
                TelemetryBatch b = p.batch();
                batchInsert.setString(1, b.deviceId());
                batchInsert.setString(2, b.stream());
                batchInsert.setLong(3, b.seq());
                batchInsert.setObject(4, odt(b.sentAt()));
                batchInsert.setObject(5, odt(p.receivedAt()));
                batchInsert.setObject(6, odt(storedAt));
                batchInsert.setBoolean(7, b.clockSynced());
                batchInsert.setLong(8, b.dropped());
                batchInsert.setInt(9, b.readings().size());
                batchInsert.addBatch();
                for (Reading r : b.readings()) {
                    readingInsert.setString(1, b.deviceId());
                    readingInsert.setString(2, r.sensor());
                    readingInsert.setString(3, r.quantity());
                    readingInsert.setString(4, r.unit());
                    readingInsert.setObject(5, odt(r.ts()));
                    if (r.value() == null || !Double.isFinite(r.value())) {
                        readingInsert.setNull(6, Types.DOUBLE);
                    } else {
                        readingInsert.setDouble(6, r.value());
                    }
                    readingInsert.setString(7, r.quality().wire());
                    readingInsert.setString(8, r.reason());
                    readingInsert.setString(9, b.stream());
                    readingInsert.setLong(10, b.seq());
                    readingInsert.addBatch();
                    if (r.quality() == Reading.Quality.OK && r.value() != null && Double.isFinite(r.value())) {
                        MinuteKey key = new MinuteKey(b.deviceId(), r.sensor(), r.quantity(),
                                Math.floorDiv(r.ts().getEpochSecond(), 60));
                        minutes.computeIfAbsent(key, k -> new MinuteAggregate(r.unit())).add(r.value());
                    }
                }
            }
            batchInsert.executeBatch();
            readingInsert.executeBatch();
        }
        mergeMinutes(c, minutes);
    }

    private static void mergeMinutes(Connection c, Map<MinuteKey, MinuteAggregate> minutes) throws SQLException {
        if (minutes.isEmpty()) {
            return;
        }
        List<Map.Entry<MinuteKey, MinuteAggregate>> entries = new ArrayList<>(minutes.entrySet());
        int[] updated;
        try (PreparedStatement update = c.prepareStatement(UPDATE_MINUTE)) {
            for (Map.Entry<MinuteKey, MinuteAggregate> e : entries) {
                MinuteAggregate a = e.getValue();
                update.setLong(1, a.count);
                update.setDouble(2, a.sum);
                update.setDouble(3, a.min);
                update.setDouble(4, a.max);
                update.setString(5, e.getKey().deviceId());
                update.setString(6, e.getKey().sensor());
                update.setString(7, e.getKey().quantity());
                update.setLong(8, e.getKey().minuteEpoch());
                update.addBatch();
            }
            updated = update.executeBatch();
        }
        try (PreparedStatement insert = c.prepareStatement(INSERT_MINUTE)) {
            boolean any = false;
            for (int i = 0; i < entries.size(); i++) {
                if (updated[i] > 0) {
                    continue;
                }
                MinuteKey k = entries.get(i).getKey();
                MinuteAggregate a = entries.get(i).getValue();
                insert.setString(1, k.deviceId());
                insert.setString(2, k.sensor());
                insert.setString(3, k.quantity());
                insert.setLong(4, k.minuteEpoch());
                insert.setString(5, a.unit);
                insert.setLong(6, a.count);
                insert.setDouble(7, a.sum);
                insert.setDouble(8, a.min);
                insert.setDouble(9, a.max);
                insert.addBatch();
                any = true;
            }
            if (any) {
                insert.executeBatch();
            }
        }
    }

    /** Deletes at most {@code chunk} raw readings with {@code ts} before {@code cutoff}; returns how many. */
    public int deleteReadingsBefore(Instant cutoff, int chunk) throws SQLException {
        return update("DELETE FROM telemetry_reading WHERE id IN (SELECT id FROM telemetry_reading WHERE ts < ? LIMIT ?)",
                ps -> {
                    ps.setObject(1, odt(cutoff));
                    ps.setInt(2, chunk);
                });
    }

    /** Deletes at most {@code chunk} batch records received before {@code cutoff}; returns how many. */
    public int deleteBatchesBefore(Instant cutoff, int chunk) throws SQLException {
        return update("DELETE FROM telemetry_batch WHERE (device_id, stream, seq) IN (SELECT device_id, stream, seq"
                + " FROM telemetry_batch WHERE received_at < ? LIMIT ?)", ps -> {
                    ps.setObject(1, odt(cutoff));
                    ps.setInt(2, chunk);
                });
    }

    /** Deletes at most {@code chunk} minute aggregates before {@code cutoff}; returns how many. */
    public int deleteMinutesBefore(Instant cutoff, int chunk) throws SQLException {
        long minute = Math.floorDiv(cutoff.getEpochSecond(), 60);
        return update("DELETE FROM telemetry_minute WHERE (device_id, sensor, quantity, minute_epoch) IN"
                + " (SELECT device_id, sensor, quantity, minute_epoch FROM telemetry_minute WHERE minute_epoch < ? LIMIT ?)",
                ps -> {
                    ps.setLong(1, minute);
                    ps.setInt(2, chunk);
                });
    }

    /** Runs a query and maps each row; {@code binder} sets the parameters. */
    public <T> List<T> query(String sql, Binder binder, RowMapper<T> mapper) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        }
    }

    private int update(String sql, Binder binder) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        }
    }

    public static OffsetDateTime odt(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static boolean isUniqueViolation(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && "23505".equals(s.getSQLState())) {
                return true;
            }
        }
        SQLException next = e.getNextException();
        return next != null && next != e && isUniqueViolation(next);
    }

    /** Sets statement parameters. */
    @FunctionalInterface
    public interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Maps one result row. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private record MinuteKey(String deviceId, String sensor, String quantity, long minuteEpoch) {
    }

    private static final class MinuteAggregate {
        final String unit;
        long count;
        double sum;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;

        MinuteAggregate(String unit) {
            this.unit = unit;
        }

        void add(double v) {
            count++;
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
    }
}
