package dev.fleetlet.server.alerts;

import java.time.Duration;

/**
 * Thresholds of the alert rules.
 *
 * @param offlineAfter      a device offline longer than this raises {@code offline} (default 15 min)
 * @param diskFullPercent   data filesystem use at or above this percentage raises {@code disk_full} (default 90)
 * @param restartThreshold  a service with at least this many restarts since its release started raises
 *                          {@code service_restarting} (default 3)
 */
public record AlertSettings(Duration offlineAfter, int diskFullPercent, int restartThreshold) {

    public static final AlertSettings DEFAULTS = new AlertSettings(Duration.ofMinutes(15), 90, 3);

    public AlertSettings {
        if (offlineAfter == null || offlineAfter.isNegative() || offlineAfter.isZero()) {
            throw new IllegalArgumentException("fleetlet.alerts.offline-after must be positive, was " + offlineAfter);
        }
        if (diskFullPercent < 1 || diskFullPercent > 100) {
            throw new IllegalArgumentException("fleetlet.alerts.disk-full-percent must be between 1 and 100, was "
                    + diskFullPercent);
        }
        if (restartThreshold < 1) {
            throw new IllegalArgumentException("fleetlet.alerts.restart-threshold must be at least 1, was "
                    + restartThreshold);
        }
    }
}
