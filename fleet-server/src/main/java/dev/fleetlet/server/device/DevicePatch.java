package dev.fleetlet.server.device;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;

/**
 * Body of {@code PATCH /api/v1/devices/{id}} (merge-patch semantics): absent fields stay unchanged; in
 * {@code labels} a string sets the label and {@code null} removes it.
 *
 * @param name   new display name, 1-128 printable characters
 * @param labels labels to set or (value null) remove
 */
@Serdeable
public record DevicePatch(
        @Nullable @Size(min = 1, max = 128) @Pattern(regexp = "[^\\p{Cntrl}]+", message = "must not contain control characters") String name,
        @Nullable Map<String, String> labels) {
}
