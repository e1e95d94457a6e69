package dev.fleetlet.server.auth;

import dev.fleetlet.server.api.ApiException;
import dev.fleetlet.server.api.ErrorCode;
import dev.fleetlet.server.api.Page;
import dev.fleetlet.server.db.DuplicateKeyException;
import dev.fleetlet.server.db.Jdbc;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;

/**
 * Operator accounts: creation (password hashed with {@link SecretHasher}), listing, and password checks for
 * HTTP Basic with a {@link VerificationCache} in front of the slow hash. Unknown users and wrong passwords are
 * the same empty answer.
 */
@Singleton
public class UserService {

    private final Jdbc jdbc;
    private final SecretHasher hasher;
    private final Clock clock;
    private final VerificationCache cache = new VerificationCache(10_000);

    public UserService(Jdbc jdbc, SecretHasher hasher, Clock clock) {
        this.jdbc = jdbc;
        this.hasher = hasher;
        this.clock = clock;
    }

    public User create(CreateUserRequest request) {
        try {
            jdbc.update("INSERT INTO users (username, password_hash, role, created_at, disabled) VALUES (?, ?, ?, ?, FALSE)",
                    request.username(), hasher.hash(request.password()), request.role(), clock.instant());
        } catch (DuplicateKeyException e) {
            throw new ApiException(ErrorCode.CONFLICT, "user '" + request.username() + "' exists");
        }
        return find(request.username()).orElseThrow();
    }

    public Optional<User> find(String username) {
        return jdbc.queryOne("SELECT username, role, created_at, disabled FROM users WHERE username = ?", UserService::read, username);
    }

    public Page<User> list(int page, int size) {
        Page.check(page, size);
        long total = jdbc.query("SELECT COUNT(*) FROM users", rs -> rs.getLong(1)).get(0);
        return new Page<>(jdbc.query("SELECT username, role, created_at, disabled FROM users ORDER BY username LIMIT ? OFFSET ?",
                UserService::read, size, (long) page * size), page, size, total);
    }

    public long count() {
        return jdbc.query("SELECT COUNT(*) FROM users", rs -> rs.getLong(1)).get(0);
    }

    /** The user when {@code password} is right and the account enabled. Blocking (slow hash on a cache miss). */
    public Optional<User> authenticate(String username, String password) {
        if (username == null || password == null) {
            return Optional.empty();
        }
        Optional<String> stored = jdbc.queryOne("SELECT password_hash FROM users WHERE username = ? AND disabled = FALSE",
                rs -> rs.getString(1), username);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        if (!cache.matches(username, stored.get(), password)) {
            if (!hasher.verify(password, stored.get())) {
                return Optional.empty();
            }
            cache.remember(username, stored.get(), password);
        }
        return find(username);
    }

    private static User read(ResultSet rs) throws SQLException {
        return new User(rs.getString("username"), Role.valueOf(rs.getString("role")), Jdbc.instant(rs, "created_at"),
                rs.getBoolean("disabled"));
    }
}
