package dev.fleetlet.server.auth;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/** An API token's metadata (the secret is never stored in clear and never shown again after creation). */
@Serdeable
public record ApiToken(String id, String username, String name, Instant createdAt, Instant expiresAt, Instant revokedAt) {
}
