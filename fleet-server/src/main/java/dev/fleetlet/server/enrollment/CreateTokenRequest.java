package dev.fleetlet.server.enrollment;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /api/v1/provisioning-tokens}.
 *
 * @param fleet           fleet name, {@code [a-z0-9][a-z0-9-]{0,62}}
 * @param description     free text
 * @param expiresInHours  validity in hours (1 h to 10 years); null for no expiry
 * @param maxUses         number of new devices it may enroll (at least 1); null for unlimited
 */
@Serdeable
public record CreateTokenRequest(
        @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,62}", message = "must match [a-z0-9][a-z0-9-]{0,62}") String fleet,
        @Nullable @Size(max = 200) String description,
        @Nullable @Min(1) @Max(87600) Integer expiresInHours,
        @Nullable @Min(1) Integer maxUses) {
}
