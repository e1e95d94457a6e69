package dev.fleetlet.server.enrollment;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Body of {@code POST /api/v1/enrollments/allowlist}: serials to admit (up to 1,000 at once). */
@Serdeable
public record AllowlistRequest(@NotEmpty @Size(max = 1000) List<@NotBlank @Size(max = 64) String> serials,
                               @Nullable @Size(max = 200) String note) {
}
