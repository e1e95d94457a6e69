package dev.fleetlet.drivers.dht22;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Validated settings of one DHT22/AM2302 read through the kernel's dht11 IIO driver
 * ({@code dtoverlay=dht11,gpiopin=N}).
 *
 * @param name           the sensor name, unique on the board
 * @param device         the IIO device directory, e.g. {@code iio:device0}; {@code null} means the only IIO
 *                       device whose {@code name} starts with {@code dht11}
 * @param attempts       reads tried per sample when the kernel reports EIO or ETIMEDOUT (default 3, 1..10)
 * @param retryBackoff   pause between attempts (default 500 ms)
 * @param minInterval    minimum time between two reads of the sensor; a sample inside it returns the
 *                       cached result (default and minimum 2 s, the sensor's own limit)
 * @param stuckThreshold identical raw value pairs in a row that make readings suspect; 0 (default) disables
 */
public record Dht22Config(String name, String device, int attempts, Duration retryBackoff, Duration minInterval,
                          int stuckThreshold) {

    /** The IIO device directory name pattern. */
    public static final Pattern DEVICE = Pattern.compile("iio:device\\d+");
    /** The sensor's own minimum sampling period. */
    public static final Duration SENSOR_MIN_INTERVAL = Duration.ofSeconds(2);

    public Dht22Config {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        if (device != null && !DEVICE.matcher(device).matches()) {
            throw new IllegalArgumentException("device must look like iio:device0, was '" + device + "'");
        }
        if (attempts < 1 || attempts > 10) {
            throw new IllegalArgumentException("attempts must be within 1..10, was " + attempts);
        }
        Objects.requireNonNull(retryBackoff, "retryBackoff");
        Objects.requireNonNull(minInterval, "minInterval");
        if (retryBackoff.isNegative()) {
            throw new IllegalArgumentException("retryBackoff must not be negative, was " + retryBackoff);
        }
        if (minInterval.compareTo(SENSOR_MIN_INTERVAL) < 0) {
            throw new IllegalArgumentException("minInterval must be at least 2 s (the DHT22's limit), was " + minInterval);
        }
        if (stuckThreshold < 0 || stuckThreshold == 1) {
            throw new IllegalArgumentException("stuckThreshold must be 0 (off) or >= 2, was " + stuckThreshold);
        }
    }

    /** Defaults: first dht11 IIO device, 3 attempts 500 ms apart, 2 s minimum interval, stuck check off. */
    public static Dht22Config defaults(String name) {
        return new Dht22Config(name, null, 3, Duration.ofMillis(500), SENSOR_MIN_INTERVAL, 0);
    }

    /** A copy for a given IIO device. */
    public Dht22Config withDevice(String newDevice) {
        return new Dht22Config(name, newDevice, attempts, retryBackoff, minInterval, stuckThreshold);
    }

    /** A copy with another stuck threshold. */
    public Dht22Config withStuckThreshold(int threshold) {
        return new Dht22Config(name, device, attempts, retryBackoff, minInterval, threshold);
    }
}
