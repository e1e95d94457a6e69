package dev.fleetlet.server.desired;

import java.util.Map;
import java.util.Objects;

/**
 * One desired-state change for one device.
 *
 * @param deviceId  the device
 * @param releaseId the release it should run, or null for "run nothing"
 * @param config    configuration values; null keeps the device's current configuration
 * @param cause     why (for operators: {@code rollout ro-1 wave 2}, {@code pin by alice}), at most 200 characters
 */
public record Assignment(String deviceId, String releaseId, Map<String, String> config, String cause) {

    public Assignment {
        Objects.requireNonNull(deviceId, "deviceId");
        config = config == null ? null : Map.copyOf(config);
        cause = cause == null ? "" : cause.length() > 200 ? cause.substring(0, 200) : cause;
    }
}
