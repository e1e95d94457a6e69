package dev.fleetlet.server.desired;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.Map;

/**
 * A device's desired state as stored ({@code device_desired_state}).
 *
 * @param deviceId   the device
 * @param generation strictly increasing per device, from 1
 * @param releaseId  the release it should run, or null
 * @param config     configuration values
 * @param cause      why it was last changed
 * @param updatedAt  when it was last changed
 */
@Serdeable
public record StoredDesiredState(String deviceId, long generation, String releaseId, Map<String, String> config,
                                 String cause, Instant updatedAt) {

    public StoredDesiredState {
        config = config == null ? Map.of() : Map.copyOf(config);
    }
}
