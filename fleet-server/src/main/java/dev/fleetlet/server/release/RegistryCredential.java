package dev.fleetlet.server.release;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * Stored credentials for one registry host, as the API shows them: never with the password or token.
 *
 * @param id          generated id (used by {@code DELETE /api/v1/registries/{id}})
 * @param host        registry host as written in image references ({@code ghcr.io}, {@code 10.0.0.5:5000})
 * @param username    user name sent to the registry
 * @param description free text, may be null
 */
@Serdeable
public record RegistryCredential(String id, String host, String username, String description, Instant createdAt,
                                 String createdBy) {
}
