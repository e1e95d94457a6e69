package dev.fleetlet.server.dashboard;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * A command from the device page.
 *
 * @param command identify, reboot, restart-agent or restart-service
 * @param service the service to restart (restart-service only)
 */
@Serdeable
public record CommandForm(@Nullable String command, @Nullable String service) {
}
