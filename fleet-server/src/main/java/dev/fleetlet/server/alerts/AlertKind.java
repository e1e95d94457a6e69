package dev.fleetlet.server.alerts;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What an alert is about; the wire name is the lower-case name ({@code disk_full}). */
public enum AlertKind {
    /** The device has been offline longer than {@code fleetlet.alerts.offline-after}. */
    OFFLINE,
    /** The board's supply voltage is below its minimum now. */
    UNDER_VOLTAGE,
    /** The firmware throttles or caps the CPU now (heat or power). */
    THROTTLED,
    /** The filesystem of the agent's data directory is fuller than {@code fleetlet.alerts.disk-full-percent}. */
    DISK_FULL,
    /** A service of the running release reports health {@code unhealthy}. */
    SERVICE_UNHEALTHY,
    /** A service is restarting now or restarted at least {@code fleetlet.alerts.restart-threshold} times. */
    SERVICE_RESTARTING,
    /** The device reported {@code rollback_failed}: neither the new nor the previous release runs. */
    ROLLBACK_FAILED;

    /** The wire and database name. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind of a wire name, case-insensitive. */
    public static Optional<AlertKind> of(String wire) {
        return Arrays.stream(values()).filter(k -> k.wire().equalsIgnoreCase(wire)).findFirst();
    }
}
