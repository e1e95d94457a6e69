package dev.fleetlet.server.release;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /api/v1/releases} as JSON. With {@code Content-Type: application/yaml} the body is the
 * compose text itself and name/version/notes come from query parameters.
 *
 * @param name    app name as in the spec: lowercase letters, digits, {@code _ -}; starts with a letter or digit
 * @param version the release's version label ({@code 1.4.2}, {@code 2026-03-01.1})
 * @param compose the compose-subset app spec (docs/app-spec.md), YAML or JSON text
 * @param notes   free text, may be null
 */
@Serdeable
public record CreateReleaseRequest(
        @NotBlank @Pattern(regexp = NAME, message = "must match " + NAME) String name,
        @NotBlank @Pattern(regexp = VERSION, message = "must match " + VERSION) String version,
        @NotBlank @Size(max = 512 * 1024) String compose,
        @Nullable @Size(max = 4000) String notes) {

    public static final String NAME = "[a-z0-9][a-z0-9_-]{0,62}";
    public static final String VERSION = "[A-Za-z0-9][A-Za-z0-9._+-]{0,63}";
}
