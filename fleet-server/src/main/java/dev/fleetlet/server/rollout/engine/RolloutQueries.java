package dev.fleetlet.server.rollout.engine;

import dev.fleetlet.server.api.Page;
import dev.fleetlet.server.db.Jdbc;
import dev.fleetlet.server.rollout.DeviceProgress;
import dev.fleetlet.server.rollout.Phase;
import dev.fleetlet.server.rollout.ProgressStatus;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Read-side queries for the API and dashboard: rollout lists, device progress pages, audit pages. */
public class RolloutQueries {

    /** A rollout in a list. */
    @Serdeable
    public record Summary(String id, String kind, String releaseId, String selector, Phase phase, int currentGroup,
                          int devices, String createdBy, Instant createdAt, Instant startedAt, Instant endedAt,
                          String rollbackOf) {
    }

    /** One device of a rollout. */
    @Serdeable
    public record DeviceRow(String deviceId, int group, ProgressStatus status, String targetRelease,
                            String previousRelease, Instant dispatchedAt, Instant healthySince, String reason, int attempts,
                            Instant updatedAt) {
    }

    private final Jdbc jdbc;

    public RolloutQueries(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Rollouts newest first, optionally in one phase. */
    public Page<Summary> list(Phase phase, int page, int size) {
        return jdbc.tx(c -> {
            String where = phase == null ? "" : " WHERE r.phase = ?";
            Object[] p = phase == null ? new Object[0] : new Object[] {phase};
            long total = Jdbc.query(c, "SELECT COUNT(*) FROM rollouts r" + where, rs -> rs.getLong(1), p).get(0);
            List<Object> args = new ArrayList<>(List.of(p));
            args.add(size);
            args.add((long) page * size);
            List<Summary> items = Jdbc.query(c, "SELECT r.*, (SELECT COUNT(*) FROM rollout_devices d WHERE d.rollout_id = r.id) AS n "
                    + "FROM rollouts r" + where + " ORDER BY r.created_at DESC, r.id LIMIT ? OFFSET ?", rs -> new Summary(
                    rs.getString("id"), rs.getString("kind"), rs.getString("release_id"), rs.getString("selector"),
                    Phase.valueOf(rs.getString("phase")), rs.getInt("current_group"), rs.getInt("n"),
                    rs.getString("created_by"), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "started_at"),
                    Jdbc.instant(rs, "ended_at"), rs.getString("rollback_of")), args.toArray());
            return new Page<>(items, page, size, total);
        });
    }

    /** Devices of a rollout in dispatch order, optionally with one status. */
    public Page<DeviceRow> devices(String rolloutId, ProgressStatus status, int page, int size) {
        return jdbc.tx(c -> {
            String where = " WHERE rollout_id = ?" + (status == null ? "" : " AND status = ?");
            List<Object> p = new ArrayList<>(List.of(rolloutId));
            if (status != null) {
                p.add(status);
            }
            long total = Jdbc.query(c, "SELECT COUNT(*) FROM rollout_devices" + where, rs -> rs.getLong(1), p.toArray()).get(0);
            p.add(size);
            p.add((long) page * size);
            List<DeviceRow> items = Jdbc.query(c, "SELECT * FROM rollout_devices" + where + " ORDER BY position LIMIT ? OFFSET ?",
                    rs -> {
                        DeviceProgress d = RolloutStore.device(rs);
                        return new DeviceRow(d.deviceId(), d.group(), d.status(), d.targetRelease(), d.previousRelease(),
                                d.dispatchedAt(), d.healthySince(), d.reason(), d.attempts(), Jdbc.instant(rs, "updated_at"));
                    }, p.toArray());
            return new Page<>(items, page, size, total);
        });
    }

    /** Audit lines of a rollout, oldest first. */
    public Page<RolloutStore.AuditLine> audit(String rolloutId, int page, int size) {
        return jdbc.tx(c -> {
            long total = Jdbc.query(c, "SELECT COUNT(*) FROM rollout_audit WHERE rollout_id = ?", rs -> rs.getLong(1),
                    rolloutId).get(0);
            List<RolloutStore.AuditLine> items = Jdbc.query(c, "SELECT at, text FROM rollout_audit WHERE rollout_id = ? "
                    + "ORDER BY id LIMIT ? OFFSET ?", rs -> new RolloutStore.AuditLine(Jdbc.instant(rs, "at"),
                    rs.getString("text")), rolloutId, size, (long) page * size);
            return new Page<>(items, page, size, total);
        });
    }
}
