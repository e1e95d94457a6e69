package dev.fleetlet.protocol.message;

/**
 * Health of the board itself, sent as the optional {@code system} object of a {@link ReportedState}
 * (added within v1: receivers that do not know it ignore it). Every field is optional: a device leaves out
 * what its kernel does not expose (no thermal zone, not a Raspberry Pi, ...).
 *
 * @param diskFreeBytes        free bytes on the filesystem holding the agent's data directory, or null
 * @param diskTotalBytes       size of that filesystem in bytes, or null
 * @param memoryAvailableBytes {@code MemAvailable} from {@code /proc/meminfo}, or null
 * @param memoryTotalBytes     {@code MemTotal} from {@code /proc/meminfo}, or null
 * @param cpuTemperatureC      SoC temperature in degrees Celsius from thermal zone 0, or null
 * @param uptimeSeconds        seconds since the board booted, or null
 * @param underVoltage         true while the supply voltage is below the board's minimum, or null when unknown
 * @param throttled            true while the firmware throttles or caps the CPU, or null when unknown
 * @param underVoltageSinceBoot true when under-voltage happened at any time since boot, or null when unknown
 * @param throttleFlags        the raw Raspberry Pi firmware {@code get_throttled} bit field, or null
 */
public record SystemHealth(Long diskFreeBytes, Long diskTotalBytes, Long memoryAvailableBytes, Long memoryTotalBytes,
                           Double cpuTemperatureC, Long uptimeSeconds, Boolean underVoltage, Boolean throttled,
                           Boolean underVoltageSinceBoot, Integer throttleFlags) {

    /** Firmware bit: under-voltage detected now. */
    public static final int FLAG_UNDER_VOLTAGE = 1;
    /** Firmware bit: ARM frequency capped now. */
    public static final int FLAG_FREQUENCY_CAPPED = 1 << 1;
    /** Firmware bit: currently throttled. */
    public static final int FLAG_THROTTLED = 1 << 2;
    /** Firmware bit: soft temperature limit active now. */
    public static final int FLAG_SOFT_TEMP_LIMIT = 1 << 3;
    /** Firmware bit: under-voltage has occurred since boot. */
    public static final int FLAG_UNDER_VOLTAGE_OCCURRED = 1 << 16;

    /** Fraction of the data filesystem in use (0..1), or null when the sizes are unknown. */
    public Double diskUsedFraction() {
        if (diskFreeBytes == null || diskTotalBytes == null || diskTotalBytes <= 0) {
            return null;
        }
        return (double) (diskTotalBytes - Math.min(diskFreeBytes, diskTotalBytes)) / diskTotalBytes;
    }
}
