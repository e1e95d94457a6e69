package dev.fleetlet.server.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /api/v1/api-tokens}: a token for the calling user.
 *
 * @param name          what it is for
 * @param expiresInDays lifetime in days (1-3650); null for no expiry
 */
@Serdeable
public record CreateApiTokenRequest(@NotBlank @Size(max = 100) String name,
                                    @Nullable @Min(1) @Max(3650) Integer expiresInDays) {
}
