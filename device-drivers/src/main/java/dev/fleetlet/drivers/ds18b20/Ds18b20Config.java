package dev.fleetlet.drivers.ds18b20;

import java.util.regex.Pattern;

/**
 * Validated settings of one DS18B20 on the kernel's 1-Wire bus.
 *
 * @param name           the sensor name, unique on the board
 * @param deviceId       the sysfs id, {@code 28-} and 12 hex digits (e.g. {@code 28-0316a2791cff}); {@code null}
 *                       means "the only DS18B20 on the bus" (a sample fails when there are none or several)
 * @param stuckThreshold identical millidegree values in a row that make a reading suspect; 0 (default)
 *                       disables, since a 0.0625 °C sensor in a steady room repeats legitimately
 */
public record Ds18b20Config(String name, String deviceId, int stuckThreshold) {

    /** The sysfs id pattern of a DS18B20 (family code 0x28). */
    public static final Pattern DEVICE_ID = Pattern.compile("28-[0-9a-f]{12}");

    public Ds18b20Config {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        if (deviceId != null && !DEVICE_ID.matcher(deviceId).matches()) {
            throw new IllegalArgumentException("deviceId must look like 28-0316a2791cff (28- and 12 lower-case hex digits), was '" + deviceId + "'");
        }
        if (stuckThreshold < 0 || stuckThreshold == 1) {
            throw new IllegalArgumentException("stuckThreshold must be 0 (off) or >= 2, was " + stuckThreshold);
        }
    }

    /** A sensor with a known id and the stuck check off. */
    public static Ds18b20Config of(String name, String deviceId) {
        return new Ds18b20Config(name, deviceId, 0);
    }
}
