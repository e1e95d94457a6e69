package dev.fleetlet.server.device;

import io.micronaut.serde.annotation.Serdeable;
import java.util.Locale;

/** The status shown for a device and usable as a list filter: online, offline or decommissioned. */
@Serdeable
public enum DeviceStatus {
    ONLINE, OFFLINE, DECOMMISSIONED;

    /** Parses {@code online|offline|decommissioned} (case-insensitive). */
    public static DeviceStatus parse(String text) {
        for (DeviceStatus s : values()) {
            if (s.name().equalsIgnoreCase(text)) {
                return s;
            }
        }
        throw new IllegalArgumentException("status must be one of online, offline, decommissioned; was '" + text + "'");
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
