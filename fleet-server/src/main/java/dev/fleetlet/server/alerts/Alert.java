package dev.fleetlet.server.alerts;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * An alert that holds now.
 *
 * @param deviceId the device
 * @param kind     wire name of the {@link AlertKind}
 * @param since    when the server first saw the condition (for {@code offline}: when the device was last seen)
 * @param detail   what was seen, in words
 */
@Serdeable
public record Alert(String deviceId, String kind, Instant since, String detail) {
}
