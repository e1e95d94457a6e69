package dev.fleetlet.server.enrollment;

import dev.fleetlet.server.api.ApiException;
import dev.fleetlet.server.api.ErrorCode;
import dev.fleetlet.server.api.Page;
import dev.fleetlet.server.db.Jdbc;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** The serial allowlist used by the {@link EnrollmentPolicy#ALLOWLIST} policy. Adding a listed serial is a no-op. */
@Singleton
public class AllowlistService {

    private final Jdbc jdbc;
    private final Clock clock;

    public AllowlistService(Jdbc jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public List<AllowlistEntry> add(AllowlistRequest request) {
        Instant now = clock.instant();
        return jdbc.tx(c -> {
            for (String serial : request.serials()) {
                String s = serial.trim();
                if (Jdbc.query(c, "SELECT 1 FROM enrollment_allowlist WHERE serial = ?", rs -> 1, s).isEmpty()) {
                    Jdbc.update(c, "INSERT INTO enrollment_allowlist (serial, note, created_at) VALUES (?, ?, ?)", s, request.note(), now);
                }
            }
            return request.serials().stream().map(s -> find(s.trim())).toList();
        });
    }

    private AllowlistEntry find(String serial) {
        return jdbc.queryOne("SELECT serial, note, created_at FROM enrollment_allowlist WHERE serial = ?",
                rs -> new AllowlistEntry(rs.getString(1), rs.getString(2), Jdbc.instant(rs, "created_at")), serial).orElseThrow();
    }

    public boolean contains(String serial) {
        return !jdbc.query("SELECT 1 FROM enrollment_allowlist WHERE serial = ?", rs -> 1, serial).isEmpty();
    }

    public void remove(String serial) {
        if (jdbc.update("DELETE FROM enrollment_allowlist WHERE serial = ?", serial) == 0) {
            throw new ApiException(ErrorCode.NOT_FOUND, "serial '" + serial + "' is not on the allowlist");
        }
    }

    public Page<AllowlistEntry> list(int page, int size) {
        Page.check(page, size);
        long total = jdbc.query("SELECT COUNT(*) FROM enrollment_allowlist", rs -> rs.getLong(1)).get(0);
        return new Page<>(jdbc.query("SELECT serial, note, created_at FROM enrollment_allowlist ORDER BY serial LIMIT ? OFFSET ?",
                rs -> new AllowlistEntry(rs.getString(1), rs.getString(2), Jdbc.instant(rs, "created_at")), size,
                (long) page * size), page, size, total);
    }
}
