package dev.fleetlet.server.release;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /api/v1/registries}. {@code password} is a password or an access token; it is stored
 * encrypted and never returned or logged.
 */
@Serdeable
public record CreateRegistryRequest(
        @NotBlank @Size(max = 255)
        @Pattern(regexp = "[A-Za-z0-9.-]+(:[0-9]{1,5})?|\\[[0-9a-fA-F:]+](:[0-9]{1,5})?",
                message = "must be a registry host[:port] as written in image references, e.g. ghcr.io or 10.0.0.5:5000")
        String host,
        @NotBlank @Size(max = 255) String username,
        @NotBlank @Size(max = 2000) String password,
        @Nullable @Size(max = 200) String description) {

    @Override
    public String toString() {
        return "CreateRegistryRequest[host=" + host + ", username=" + username + ", password=<redacted>]";
    }
}
