package dev.fleetlet.server.auth;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/** An operator account (no credential material). */
@Serdeable
public record User(String username, Role role, Instant createdAt, boolean disabled) {
}
