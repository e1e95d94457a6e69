package dev.fleetlet.server.enrollment;

import dev.fleetlet.server.api.ApiException;
import dev.fleetlet.server.api.ErrorCode;
import dev.fleetlet.server.api.Page;
import dev.fleetlet.server.auth.SecretHasher;
import dev.fleetlet.server.auth.Secrets;
import dev.fleetlet.server.auth.VerificationCache;
import dev.fleetlet.server.db.Jdbc;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provisioning tokens: scoped to a fleet, optionally expiring and usage-limited, revocable. The token string
 * {@code flt_<id>_<secret>} is returned once; the server keeps the id and a salted hash of the secret and finds
 * the row by id. {@link #check} verifies a presented token (slow hash, cached per token after the first success).
 */
@Singleton
public class ProvisioningTokenService {

    private static final Logger log = LoggerFactory.getLogger(ProvisioningTokenService.class);
    static final Pattern FORMAT = Pattern.compile("flt_([a-z0-9]{10})_([A-Za-z0-9]{32})");
    private static final String COLUMNS = "id, fleet, description, created_at, created_by, expires_at, max_uses, uses, revoked_at";

    /** A presented token that matched a stored one, with its state at check time. */
    public record Checked(ProvisioningToken token) {
    }

    private final Jdbc jdbc;
    private final SecretHasher hasher;
    private final Clock clock;
    private final VerificationCache cache = new VerificationCache(10_000);

    public ProvisioningTokenService(Jdbc jdbc, SecretHasher hasher, Clock clock) {
        this.jdbc = jdbc;
        this.hasher = hasher;
        this.clock = clock;
    }

    public CreatedToken create(CreateTokenRequest request, String by) {
        String id = Secrets.id(10);
        String secret = Secrets.secret();
        Instant now = clock.instant();
        Instant expires = request.expiresInHours() == null ? null : now.plus(Duration.ofHours(request.expiresInHours()));
        jdbc.update("INSERT INTO provisioning_tokens (id, fleet, description, secret_hash, created_at, created_by, expires_at, "
                        + "max_uses, uses) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)", id, request.fleet(), request.description(),
                hasher.hashMachineSecret(secret), now, by, expires, request.maxUses());
        log.info("provisioning token created tokenId={} fleet={} by={} expiresAt={} maxUses={}", id, request.fleet(), by,
                expires, request.maxUses());
        return new CreatedToken(find(id).orElseThrow(), "flt_" + id + "_" + secret);
    }

    public Optional<ProvisioningToken> find(String id) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM provisioning_tokens WHERE id = ?", this::read, id);
    }

    public Page<ProvisioningToken> list(int page, int size) {
        Page.check(page, size);
        long total = jdbc.query("SELECT COUNT(*) FROM provisioning_tokens", rs -> rs.getLong(1)).get(0);
        return new Page<>(jdbc.query("SELECT " + COLUMNS + " FROM provisioning_tokens ORDER BY created_at DESC, id "
                + "LIMIT ? OFFSET ?", this::read, size, (long) page * size), page, size, total);
    }

    public ProvisioningToken revoke(String id, String by) {
        int n = jdbc.update("UPDATE provisioning_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", clock.instant(), id);
        ProvisioningToken t = find(id).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no provisioning token '" + id + "'"));
        if (n == 1) {
            cache.invalidate(id);
            log.info("provisioning token revoked tokenId={} by={}", id, by);
        }
        return t;
    }

    /**
     * Checks a presented token string; empty when malformed, unknown or the secret is wrong. The answer's
     * {@link ProvisioningToken#state()} tells whether it may still be used. Blocking (slow hash on a cache miss).
     */
    public Optional<Checked> check(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        Matcher m = FORMAT.matcher(presented);
        if (!m.matches()) {
            return Optional.empty();
        }
        String id = m.group(1);
        String secret = m.group(2);
        Optional<String> hash = jdbc.queryOne("SELECT secret_hash FROM provisioning_tokens WHERE id = ?", rs -> rs.getString(1), id);
        if (hash.isEmpty()) {
            return Optional.empty();
        }
        if (!cache.matches(id, hash.get(), secret)) {
            if (!hasher.verify(secret, hash.get())) {
                return Optional.empty();
            }
            cache.remember(id, hash.get(), secret);
        }
        return find(id).map(Checked::new);
    }

    /**
     * Counts one use inside the caller's transaction, atomically against {@code max_uses}.
     *
     * @return false when the token was exhausted, revoked or expired meanwhile
     */
    public boolean consume(Connection c, String id) throws SQLException {
        return Jdbc.update(c, "UPDATE provisioning_tokens SET uses = uses + 1 WHERE id = ? AND revoked_at IS NULL "
                + "AND (max_uses IS NULL OR uses < max_uses) AND (expires_at IS NULL OR expires_at > ?)", id, clock.instant()) == 1;
    }

    private ProvisioningToken read(ResultSet rs) throws SQLException {
        Instant expires = Jdbc.instant(rs, "expires_at");
        Integer maxUses = Jdbc.nullableInt(rs, "max_uses");
        int uses = rs.getInt("uses");
        Instant revoked = Jdbc.instant(rs, "revoked_at");
        return new ProvisioningToken(rs.getString("id"), rs.getString("fleet"), rs.getString("description"),
                Jdbc.instant(rs, "created_at"), rs.getString("created_by"), expires, maxUses, uses, revoked,
                ProvisioningToken.stateAt(clock.instant(), expires, maxUses, uses, revoked));
    }
}
