package dev.fleetlet.server.enrollment;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/** A serial admitted under the allowlist policy. */
@Serdeable
public record AllowlistEntry(String serial, String note, Instant createdAt) {
}
