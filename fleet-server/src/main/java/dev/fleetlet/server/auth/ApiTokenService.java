package dev.fleetlet.server.auth;

import dev.fleetlet.server.api.ApiException;
import dev.fleetlet.server.api.ErrorCode;
import dev.fleetlet.server.db.Jdbc;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bearer API tokens of operators: {@code fat_<id>_<secret>}; the id locates the row, the secret is checked
 * against its salted hash (cached after the first success). A token acts with its user's current role and
 * stops working when revoked, expired, or the user is disabled.
 */
@Singleton
public class ApiTokenService {

    static final Pattern FORMAT = Pattern.compile("fat_([a-z0-9]{10})_([A-Za-z0-9]{32})");

    private final Jdbc jdbc;
    private final SecretHasher hasher;
    private final UserService users;
    private final Clock clock;
    private final VerificationCache cache = new VerificationCache(10_000);

    public ApiTokenService(Jdbc jdbc, SecretHasher hasher, UserService users, Clock clock) {
        this.jdbc = jdbc;
        this.hasher = hasher;
        this.users = users;
        this.clock = clock;
    }

    public CreatedApiToken create(String username, CreateApiTokenRequest request) {
        String id = Secrets.id(10);
        String secret = Secrets.secret();
        Instant now = clock.instant();
        Instant expires = request.expiresInDays() == null ? null : now.plus(Duration.ofDays(request.expiresInDays()));
        jdbc.update("INSERT INTO api_tokens (id, username, name, secret_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                id, username, request.name(), hasher.hashMachineSecret(secret), now, expires);
        return new CreatedApiToken(new ApiToken(id, username, request.name(), now, expires, null), "fat_" + id + "_" + secret);
    }

    public List<ApiToken> list(String username) {
        return jdbc.query("SELECT id, username, name, created_at, expires_at, revoked_at FROM api_tokens WHERE username = ? "
                + "ORDER BY created_at", ApiTokenService::read, username);
    }

    /** Revokes one of the user's tokens (admins may revoke anyone's). */
    public ApiToken revoke(String id, String username, boolean admin) {
        ApiToken t = jdbc.queryOne("SELECT id, username, name, created_at, expires_at, revoked_at FROM api_tokens WHERE id = ?",
                        ApiTokenService::read, id)
                .filter(x -> admin || x.username().equals(username))
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no API token with id '" + id + "'"));
        jdbc.update("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", clock.instant(), id);
        cache.invalidate(id);
        return t;
    }

    /** The user a bearer token stands for, or empty. Blocking on a cache miss. */
    public Optional<User> authenticate(String bearer) {
        if (bearer == null) {
            return Optional.empty();
        }
        Matcher m = FORMAT.matcher(bearer);
        if (!m.matches()) {
            return Optional.empty();
        }
        String id = m.group(1);
        String secret = m.group(2);
        record Row(String username, String hash, Instant expiresAt, Instant revokedAt) {
        }
        Optional<Row> row = jdbc.queryOne("SELECT username, secret_hash, expires_at, revoked_at FROM api_tokens WHERE id = ?",
                rs -> new Row(rs.getString(1), rs.getString(2), Jdbc.instant(rs, "expires_at"), Jdbc.instant(rs, "revoked_at")), id);
        if (row.isEmpty() || row.get().revokedAt() != null
                || row.get().expiresAt() != null && !clock.instant().isBefore(row.get().expiresAt())) {
            return Optional.empty();
        }
        if (!cache.matches(id, row.get().hash(), secret)) {
            if (!hasher.verify(secret, row.get().hash())) {
                return Optional.empty();
            }
            cache.remember(id, row.get().hash(), secret);
        }
        return users.find(row.get().username()).filter(u -> !u.disabled());
    }

    private static ApiToken read(ResultSet rs) throws SQLException {
        return new ApiToken(rs.getString("id"), rs.getString("username"), rs.getString("name"), Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "expires_at"), Jdbc.instant(rs, "revoked_at"));
    }
}
