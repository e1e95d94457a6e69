package dev.fleetlet.server.auth;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/** A telemetry-reader service account (MQTT user name = {@code name}). */
@Serdeable
public record ServiceAccount(String name, String description, Instant createdAt, String createdBy) {
}
