package dev.fleetlet.server.release;

import dev.fleetlet.server.api.ApiException;
import dev.fleetlet.server.api.ErrorCode;
import dev.fleetlet.server.api.Page;
import dev.fleetlet.server.auth.Secrets;
import dev.fleetlet.server.db.DuplicateKeyException;
import dev.fleetlet.server.db.Jdbc;
import dev.fleetlet.server.release.internal.SecretCipher;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registry credentials: one row per host, the secret encrypted with {@link SecretCipher} (bound to the host).
 * Create refuses a host that already has credentials (409; delete and create again to rotate). Lookup by
 * host is what {@link ImageDigestResolver} implementations use; nothing here logs a secret.
 */
@Singleton
public class RegistryCredentialService {

    private static final Logger log = LoggerFactory.getLogger(RegistryCredentialService.class);
    private static final String COLUMNS = "id, host, username, description, created_at, created_by";

    private final Jdbc jdbc;
    private final SecretCipher cipher;
    private final Clock clock;

    public RegistryCredentialService(Jdbc jdbc, SecretCipher cipher, Clock clock) {
        this.jdbc = jdbc;
        this.cipher = cipher;
        this.clock = clock;
    }

    /** Stores credentials for a host; 409 when the host has some already. */
    public RegistryCredential create(CreateRegistryRequest request, String by) {
        String host = normalizeHost(request.host());
        String id = "reg-" + Secrets.id(12);
        try {
            jdbc.update("INSERT INTO registry_credentials (id, host, username, secret_enc, description, created_at, created_by) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    id, host, request.username(), cipher.encrypt(request.password(), host), request.description(),
                    clock.instant(), by);
        } catch (DuplicateKeyException e) {
            throw ApiException.field(ErrorCode.CONFLICT, "host", "registry " + host
                    + " has credentials already; delete them first to replace them");
        }
        log.info("registry credentials stored id={} host={} username={} by={}", id, host, request.username(), by);
        return get(id);
    }

    public RegistryCredential get(String id) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM registry_credentials WHERE id = ?", RegistryCredentialService::read, id)
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no registry credentials '" + id + "'"));
    }

    public Page<RegistryCredential> list(int page, int size) {
        Page.check(page, size);
        long total = jdbc.query("SELECT COUNT(*) FROM registry_credentials", rs -> rs.getLong(1)).get(0);
        return new Page<>(jdbc.query("SELECT " + COLUMNS + " FROM registry_credentials ORDER BY host LIMIT ? OFFSET ?",
                RegistryCredentialService::read, size, (long) page * size), page, size, total);
    }

    public void delete(String id, String by) {
        RegistryCredential existing = get(id);
        jdbc.update("DELETE FROM registry_credentials WHERE id = ?", id);
        log.info("registry credentials deleted id={} host={} by={}", id, existing.host(), by);
    }

    /**
     * The decrypted credentials for {@code host}, or empty for anonymous access.
     *
     * @throws ApiException INTERNAL when the stored secret cannot be decrypted (the key changed)
     */
    public Optional<RegistryLogin> forHost(String host) {
        String normalized = normalizeHost(host);
        return jdbc.queryOne("SELECT username, secret_enc FROM registry_credentials WHERE host = ?",
                rs -> new String[] {rs.getString(1), rs.getString(2)}, normalized).map(row -> {
                    try {
                        return new RegistryLogin(row[0], cipher.decrypt(row[1], normalized));
                    } catch (IllegalStateException e) {
                        log.error("registry credentials unusable host={} reason={}", normalized, e.getMessage());
                        throw new ApiException(ErrorCode.INTERNAL, e.getMessage());
                    }
                });
    }

    static String normalizeHost(String host) {
        return host.strip().toLowerCase(Locale.ROOT);
    }

    private static RegistryCredential read(ResultSet rs) throws SQLException {
        return new RegistryCredential(rs.getString("id"), rs.getString("host"), rs.getString("username"),
                rs.getString("description"), Jdbc.instant(rs, "created_at"), rs.getString("created_by"));
    }
}
