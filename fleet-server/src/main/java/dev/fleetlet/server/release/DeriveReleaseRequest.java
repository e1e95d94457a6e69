package dev.fleetlet.server.release;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.Map;

/**
 * Body of {@code POST /api/v1/releases/{id}/derive}: a new release of the same app, with the same pinned image
 * digests, whose services' environment differs from the source release. This is the path for configuration and
 * environment changes: the new release goes to devices through a rollout like any other.
 *
 * @param version     the new release's version label (same rule as {@link CreateReleaseRequest#VERSION})
 * @param environment per service name, the variables to set (added or replaced); a value of {@code null}
 *                    removes the variable. Services not named keep their environment.
 * @param notes       free text, may be null
 */
@Serdeable
public record DeriveReleaseRequest(String version, @Nullable Map<String, Map<String, String>> environment,
                                   @Nullable String notes) {

    public DeriveReleaseRequest {
        environment = environment == null ? Map.of() : environment;
    }
}
