package dev.fleetlet.server.rollout.engine;

import dev.fleetlet.server.db.DuplicateKeyException;
import dev.fleetlet.server.db.Jdbc;
import dev.fleetlet.server.rollout.Command;
import dev.fleetlet.server.rollout.DeviceProgress;
import dev.fleetlet.server.rollout.Phase;
import dev.fleetlet.server.rollout.ProgressStatus;
import dev.fleetlet.server.rollout.RolloutState;
import dev.fleetlet.server.rollout.plan.RolloutPlan;
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
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Persistence of rollouts: the {@code rollouts} row (phase, current group, plan, ...), one
 * {@code rollout_devices} row per device (written whole at creation, then only the rows a step changed,
 * by set-based UPDATEs grouped by equal values), operator commands with their per-rollout seq, the audit log, and the lease table.
 * Every method taking a {@link Connection} runs inside the caller's transaction. Portable SQL (H2, PostgreSQL).
 */
public class RolloutStore {

    /** A stored rollout: its fixed facts and its state. */
    public record Stored(RolloutRecord record, RolloutState state) {
    }

    private static final String FINAL = "('COMPLETED', 'ABORTED', 'ROLLED_BACK')";

    private final Jdbc jdbc;

    public RolloutStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public Jdbc jdbc() {
        return jdbc;
    }

    /** Inserts a new rollout with its devices. @throws DuplicateKeyException for a taken id */
    public void insert(RolloutRecord r, RolloutState s, Instant now) {
        jdbc.tx(c -> {
            Jdbc.update(c, "INSERT INTO rollouts (id, kind, release_id, selector, plan, phase, pause_cause, current_group, "
                            + "group_sizes, last_command_seq, outside_window, rollback_of, created_by, created_at, started_at, "
                            + "ended_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    r.id(), r.kind(), r.releaseId(), r.selector(), PlanJson.write(s.plan()), s.phase(), s.pauseCause(),
                    s.currentGroup(), sizes(s.groupSizes()), s.lastCommandSeq(), s.outsideWindow(), r.rollbackOf(),
                    r.createdBy(), r.createdAt(), s.startedAt(), s.endedAt(), now);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO rollout_devices (rollout_id, position, device_id, "
                    + "group_index, status, target_release, previous_release, dispatched_at, healthy_since, offline_since, "
                    + "last_observed_at, reason, attempts, release_may_run, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                List<DeviceProgress> ds = s.devices();
                for (int i = 0; i < ds.size(); i++) {
                    DeviceProgress d = ds.get(i);
                    ps.setString(1, r.id());
                    ps.setInt(2, i);
                    ps.setString(3, d.deviceId());
                    bindDevice(ps, 4, d, now);
                    ps.addBatch();
                    if (i % 1000 == 999) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    private static void bindDevice(PreparedStatement ps, int i, DeviceProgress d, Instant now) throws SQLException {
        ps.setInt(i, d.group());
        ps.setString(i + 1, d.status().name());
        ps.setString(i + 2, d.targetRelease());
        ps.setString(i + 3, d.previousRelease());
        ts(ps, i + 4, d.dispatchedAt());
        ts(ps, i + 5, d.healthySince());
        ts(ps, i + 6, d.offlineSince());
        ts(ps, i + 7, d.lastObservedAt());
        ps.setString(i + 8, d.reason() == null || d.reason().length() <= 2000 ? d.reason() : d.reason().substring(0, 2000));
        ps.setInt(i + 9, d.attempts());
        ps.setBoolean(i + 10, d.releaseMayRun());
        ts(ps, i + 11, now);
    }

    private static void ts(PreparedStatement ps, int i, Instant at) throws SQLException {
        if (at == null) {
            ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(i, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
        }
    }

    /** Writes the state a step produced: the rollout row and the device rows that differ from {@code before}. */
    public void save(Connection c, RolloutState before, RolloutState after, Instant now) throws SQLException {
        saveRollout(c, after, now);
        List<DeviceProgress> changed = new ArrayList<>();
        for (int i = 0; i < after.devices().size(); i++) {
            DeviceProgress d = after.devices().get(i);
            if (!Objects.equals(d, before.devices().get(i))) {
                changed.add(d);
            }
        }
        saveDevices(c, after.rolloutId(), changed, now);
    }

    /** Writes the {@code rollouts} row of {@code after} (phase, group, command seq, times). */
    public void saveRollout(Connection c, RolloutState after, Instant now) throws SQLException {
        Jdbc.update(c, "UPDATE rollouts SET phase = ?, pause_cause = ?, current_group = ?, last_command_seq = ?, "
                        + "outside_window = ?, started_at = ?, ended_at = ?, updated_at = ? WHERE id = ?",
                after.phase(), after.pauseCause(), after.currentGroup(), after.lastCommandSeq(), after.outsideWindow(),
                after.startedAt(), after.endedAt(), now, after.rolloutId());
    }

    /**
     * Writes device rows of a rollout. Rows that differ only in their device id (a wave dispatched at one
     * instant: same status, release, time, attempts) are written by one {@code UPDATE ... WHERE device_id IN (...)}
     * per {@value #IN_CHUNK} devices, so dispatching thousands of devices costs a few statements, not one each.
     * Rows with values of their own (observations carry each device's own receive time) are written by one
     * prepared statement as a JDBC batch, instead of preparing a statement per row.
     */
    public void saveDevices(Connection c, String rolloutId, List<DeviceProgress> devices, Instant now) throws SQLException {
        Map<DeviceProgress, List<String>> byValues = new LinkedHashMap<>();
        for (DeviceProgress d : devices) {
            byValues.computeIfAbsent(withoutId(d), k -> new ArrayList<>()).add(d.deviceId());
        }
        String head = "UPDATE rollout_devices SET group_index = ?, status = ?, target_release = ?, previous_release = ?, "
                + "dispatched_at = ?, healthy_since = ?, offline_since = ?, last_observed_at = ?, reason = ?, attempts = ?, "
                + "release_may_run = ?, updated_at = ? WHERE rollout_id = ? AND device_id ";
        PreparedStatement single = null;
        try {
            for (Map.Entry<DeviceProgress, List<String>> e : byValues.entrySet()) {
                List<String> ids = e.getValue();
                if (ids.size() < MIN_SET_UPDATE) {
                    if (single == null) {
                        single = c.prepareStatement(head + "= ?");
                    }
                    for (String id : ids) {
                        bindDevice(single, 1, e.getKey(), now);
                        single.setString(13, rolloutId);
                        single.setString(14, id);
                        single.addBatch();
                    }
                    continue;
                }
                for (int from = 0; from < ids.size(); from += IN_CHUNK) {
                    List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IN_CHUNK));
                    try (PreparedStatement ps = c.prepareStatement(head + "IN (" + "?,".repeat(chunk.size() - 1) + "?)")) {
                        bindDevice(ps, 1, e.getKey(), now);
                        ps.setString(13, rolloutId);
                        for (int i = 0; i < chunk.size(); i++) {
                            ps.setString(14 + i, chunk.get(i));
                        }
                        ps.executeUpdate();
                    }
                }
            }
            if (single != null) {
                single.executeBatch();
            }
        } finally {
            if (single != null) {
                single.close();
            }
        }
    }

    /** Fewest rows with equal values written by one set-based UPDATE; smaller groups go into the JDBC batch. */
    static final int MIN_SET_UPDATE = 8;

    /** Most device ids in one {@code IN (...)} list. */
    static final int IN_CHUNK = 500;

    private static DeviceProgress withoutId(DeviceProgress d) {
        return new DeviceProgress("", d.group(), d.status(), d.targetRelease(), d.previousRelease(), d.dispatchedAt(),
                d.healthySince(), d.offlineSince(), d.lastObservedAt(), d.reason(), d.attempts(), d.releaseMayRun());
    }

    /** Loads a rollout with every device, or empty. */
    public Optional<Stored> load(String id) {
        return jdbc.tx(c -> {
            List<Object[]> rows = Jdbc.query(c, "SELECT * FROM rollouts WHERE id = ?", rs -> new Object[] {record(rs),
                    rs.getString("plan"), rs.getString("phase"), rs.getString("pause_cause"), rs.getInt("current_group"),
                    rs.getString("group_sizes"), rs.getLong("last_command_seq"), rs.getBoolean("outside_window"),
                    Jdbc.instant(rs, "started_at"), Jdbc.instant(rs, "ended_at")}, id);
            if (rows.isEmpty()) {
                return Optional.<Stored>empty();
            }
            Object[] r = rows.get(0);
            RolloutPlan plan = PlanJson.read((String) r[1]);
            List<DeviceProgress> devices = Jdbc.query(c, "SELECT * FROM rollout_devices WHERE rollout_id = ? ORDER BY position",
                    RolloutStore::device, id);
            RolloutState s = new RolloutState(id, plan, Phase.valueOf((String) r[2]),
                    r[3] == null ? null : RolloutState.PauseCause.valueOf((String) r[3]), (Integer) r[4],
                    parseSizes((String) r[5]), devices, (Long) r[6], (Boolean) r[7], (Instant) r[8], (Instant) r[9]);
            return Optional.of(new Stored((RolloutRecord) r[0], s));
        });
    }

    static RolloutRecord record(ResultSet rs) throws SQLException {
        return new RolloutRecord(rs.getString("id"), RolloutRecord.Kind.valueOf(rs.getString("kind")),
                rs.getString("release_id"), rs.getString("selector"), rs.getString("created_by"),
                Jdbc.instant(rs, "created_at"), rs.getString("rollback_of"));
    }

    static DeviceProgress device(ResultSet rs) throws SQLException {
        return new DeviceProgress(rs.getString("device_id"), rs.getInt("group_index"),
                ProgressStatus.valueOf(rs.getString("status")), rs.getString("target_release"),
                rs.getString("previous_release"), Jdbc.instant(rs, "dispatched_at"), Jdbc.instant(rs, "healthy_since"),
                Jdbc.instant(rs, "offline_since"), Jdbc.instant(rs, "last_observed_at"), rs.getString("reason"),
                rs.getInt("attempts"), rs.getBoolean("release_may_run"));
    }

    /** Ids of rollouts not in a final phase, oldest first. */
    public List<String> activeIds() {
        return jdbc.query("SELECT id FROM rollouts WHERE phase NOT IN " + FINAL + " ORDER BY created_at, id",
                rs -> rs.getString(1));
    }

    /** Phase of a rollout, or empty when it does not exist. */
    public Optional<Phase> phase(String id) {
        return jdbc.queryOne("SELECT phase FROM rollouts WHERE id = ?", rs -> Phase.valueOf(rs.getString(1)), id);
    }

    /**
     * Appends an operator command with the next seq of the rollout and returns it. Two concurrent appends
     * for the same rollout cannot take the same seq (primary key); the loser retries.
     */
    public Command appendCommand(String rolloutId, Command.Kind kind, String actor, Instant at) {
        for (int attempt = 0; ; attempt++) {
            try {
                return jdbc.tx(c -> {
                    long seq = Jdbc.query(c, "SELECT COALESCE(MAX(seq), 0) FROM rollout_commands WHERE rollout_id = ?",
                            rs -> rs.getLong(1), rolloutId).get(0) + 1;
                    Jdbc.update(c, "INSERT INTO rollout_commands (rollout_id, seq, kind, actor, issued_at) VALUES (?, ?, ?, ?, ?)",
                            rolloutId, seq, kind, actor, at);
                    return new Command(seq, kind, at, actor);
                });
            } catch (DuplicateKeyException e) {
                if (attempt >= 10) {
                    throw e;
                }
            }
        }
    }

    /** Commands with a seq above {@code afterSeq}, in seq order. */
    public List<Command> commandsAfter(Connection c, String rolloutId, long afterSeq) throws SQLException {
        return Jdbc.query(c, "SELECT seq, kind, actor, issued_at FROM rollout_commands WHERE rollout_id = ? AND seq > ? ORDER BY seq",
                rs -> new Command(rs.getLong("seq"), Command.Kind.valueOf(rs.getString("kind")), Jdbc.instant(rs, "issued_at"),
                        rs.getString("actor")), rolloutId, afterSeq);
    }

    /** Commands with a seq above {@code afterSeq}. */
    public List<Command> commandsAfter(String rolloutId, long afterSeq) {
        return jdbc.tx(c -> commandsAfter(c, rolloutId, afterSeq));
    }

    /** Records what became of a command (applied, or rejected with the reason). */
    public void commandOutcome(Connection c, String rolloutId, long seq, String outcome) throws SQLException {
        Jdbc.update(c, "UPDATE rollout_commands SET outcome = ? WHERE rollout_id = ? AND seq = ?",
                outcome.length() > 500 ? outcome.substring(0, 500) : outcome, rolloutId, seq);
    }

    /** Appends audit lines. */
    public void audit(Connection c, String rolloutId, List<AuditLine> lines) throws SQLException {
        if (lines.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO rollout_audit (rollout_id, at, text) VALUES (?, ?, ?)")) {
            for (AuditLine l : lines) {
                ps.setString(1, rolloutId);
                ps.setObject(2, OffsetDateTime.ofInstant(l.at(), ZoneOffset.UTC));
                ps.setString(3, l.text().length() > 4000 ? l.text().substring(0, 4000) : l.text());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** One audit line. */
    @io.micronaut.serde.annotation.Serdeable
    public record AuditLine(Instant at, String text) {
    }

    /**
     * Takes or renews the lease on a rollout for {@code owner} until {@code now + ttl}: succeeds when the lease
     * is free, expired or already {@code owner}'s. Runs in the caller's transaction when one is open, so a
     * renewal at the start of a step's transaction fences the step's writes (the lease row stays locked
     * until commit).
     */
    public boolean acquireLease(String rolloutId, String owner, Instant now, java.time.Duration ttl) {
        Instant until = now.plus(ttl);
        try {
            return jdbc.tx(c -> {
                int n = Jdbc.update(c, "UPDATE rollout_leases SET owner = ?, expires_at = ? WHERE rollout_id = ? "
                        + "AND (owner = ? OR expires_at < ?)", owner, until, rolloutId, owner, now);
                if (n == 1) {
                    return true;
                }
                if (Jdbc.query(c, "SELECT 1 FROM rollout_leases WHERE rollout_id = ?", rs -> 1, rolloutId).isEmpty()) {
                    Jdbc.update(c, "INSERT INTO rollout_leases (rollout_id, owner, expires_at) VALUES (?, ?, ?)",
                            rolloutId, owner, until);
                    return true;
                }
                return false;
            });
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    /** Gives a lease up (only when {@code owner} holds it). */
    public void releaseLease(String rolloutId, String owner) {
        jdbc.update("DELETE FROM rollout_leases WHERE rollout_id = ? AND owner = ?", rolloutId, owner);
    }

    /** Current lease holder, or empty when none or expired. */
    public Optional<String> leaseOwner(String rolloutId, Instant now) {
        return jdbc.queryOne("SELECT owner FROM rollout_leases WHERE rollout_id = ? AND expires_at >= ?",
                rs -> rs.getString(1), rolloutId, now);
    }

    static String sizes(List<Integer> sizes) {
        StringBuilder b = new StringBuilder();
        for (int n : sizes) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(n);
        }
        return b.toString();
    }

    static List<Integer> parseSizes(String s) {
        List<Integer> out = new ArrayList<>();
        if (s != null && !s.isEmpty()) {
            for (String p : s.split(",")) {
                out.add(Integer.parseInt(p.trim()));
            }
        }
        return out;
    }
}
