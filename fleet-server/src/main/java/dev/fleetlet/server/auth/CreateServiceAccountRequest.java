package dev.fleetlet.server.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /api/v1/service-accounts}. Names start with {@code svc-} so they never look like device ids. */
@Serdeable
public record CreateServiceAccountRequest(
        @NotBlank @Pattern(regexp = "svc-[a-z0-9][a-z0-9._-]{1,59}", message = "must match svc-[a-z0-9][a-z0-9._-]{1,59}") String name,
        @Nullable @Size(max = 200) String description) {
}
