package dev.fleetlet.server.logs;

import io.micronaut.serde.annotation.Serdeable;

/**
 * Body of {@code POST /api/v1/devices/{id}/logs}.
 *
 * @param source {@code agent} (default), {@code system} or a service name of the device's running release
 * @param lines  most recent lines wanted, 1 to 10,000 (default 200)
 */
@Serdeable
public record LogsForm(String source, Integer lines) {
}
