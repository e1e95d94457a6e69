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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Service accounts for MQTT telemetry subscribers: create (secret shown once, stored hashed), list, delete,
 * and the MQTT credential check used by the client directory (cached after the first success; deletion
 * invalidates at once).
 */
@Singleton
public class ServiceAccountService {

    private static final Logger log = LoggerFactory.getLogger(ServiceAccountService.class);

    private final Jdbc jdbc;
    private final SecretHasher hasher;
    private final Clock clock;
    private final VerificationCache cache = new VerificationCache(10_000);

    public ServiceAccountService(Jdbc jdbc, SecretHasher hasher, Clock clock) {
        this.jdbc = jdbc;
        this.hasher = hasher;
        this.clock = clock;
    }

    public CreatedServiceAccount create(CreateServiceAccountRequest request, String by) {
        String secret = Secrets.secret();
        try {
            jdbc.update("INSERT INTO service_accounts (name, description, secret_hash, created_at, created_by) VALUES (?, ?, ?, ?, ?)",
                    request.name(), request.description(), hasher.hashMachineSecret(secret), clock.instant(), by);
        } catch (DuplicateKeyException e) {
            throw new ApiException(ErrorCode.CONFLICT, "service account '" + request.name() + "' exists");
        }
        log.info("service account created name={} by={}", request.name(), by);
        return new CreatedServiceAccount(find(request.name()).orElseThrow(), secret);
    }

    public Optional<ServiceAccount> find(String name) {
        return jdbc.queryOne("SELECT name, description, created_at, created_by FROM service_accounts WHERE name = ?",
                ServiceAccountService::read, name);
    }

    public Page<ServiceAccount> list(int page, int size) {
        Page.check(page, size);
        long total = jdbc.query("SELECT COUNT(*) FROM service_accounts", rs -> rs.getLong(1)).get(0);
        return new Page<>(jdbc.query("SELECT name, description, created_at, created_by FROM service_accounts ORDER BY name "
                + "LIMIT ? OFFSET ?", ServiceAccountService::read, size, (long) page * size), page, size, total);
    }

    public void delete(String name, String by) {
        if (jdbc.update("DELETE FROM service_accounts WHERE name = ?", name) == 0) {
            throw new ApiException(ErrorCode.NOT_FOUND, "no service account '" + name + "'");
        }
        cache.invalidate(name);
        log.info("service account deleted name={} by={}", name, by);
    }

    /** Whether {@code secret} is the account's; false for unknown accounts. Blocking on a cache miss. */
    public boolean authenticate(String name, String secret) {
        Optional<String> stored = jdbc.queryOne("SELECT secret_hash FROM service_accounts WHERE name = ?", rs -> rs.getString(1), name);
        if (stored.isEmpty()) {
            return false;
        }
        if (cache.matches(name, stored.get(), secret)) {
            return true;
        }
        if (hasher.verify(secret, stored.get())) {
            cache.remember(name, stored.get(), secret);
            return true;
        }
        return false;
    }

    private static ServiceAccount read(ResultSet rs) throws SQLException {
        return new ServiceAccount(rs.getString("name"), rs.getString("description"), Jdbc.instant(rs, "created_at"),
                rs.getString("created_by"));
    }
}
