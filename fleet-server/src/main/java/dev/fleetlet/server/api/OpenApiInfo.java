package dev.fleetlet.server.api;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.info.License;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/**
 * Header of the OpenAPI document that micronaut-openapi generates at compile time from the controllers
 * ({@code META-INF/swagger/fleetlet-v1.yml}), served at {@code GET /openapi/fleetlet-v1.yml}.
 */
@OpenAPIDefinition(
        info = @Info(title = "fleetlet", version = "v1",
                description = "Fleetlet fleet server: device registry, zero-touch enrollment, operators and service accounts, "
                        + "device events, releases (digest-pinned app specs) and registry credentials. Errors are application/problem+json.",
                license = @License(name = "Apache-2.0")),
        security = {@SecurityRequirement(name = "basic"), @SecurityRequirement(name = "bearer")})
@SecurityScheme(name = "basic", type = SecuritySchemeType.HTTP, scheme = "basic")
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer", description = "API token fat_<id>_<secret>")
public final class OpenApiInfo {

    private OpenApiInfo() {
    }
}
