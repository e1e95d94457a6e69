package dev.fleetlet.server.alerts;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A device's latest reported board health and the alerts holding for it, for the device page.
 *
 * @param reportedAt when the server received the latest reported state, or null when none
 * @param system     the reported {@code system} object as sent (see docs/protocol.md), or null
 * @param alerts     alerts holding now, newest first
 */
@Serdeable
public record DeviceHealth(Instant reportedAt, Map<String, Object> system, List<Alert> alerts) {
}
