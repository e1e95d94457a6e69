package dev.fleetlet.drivers.sht3x;

import dev.fleetlet.drivers.spi.I2cChipConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * Validated settings of one Sensirion SHT30/SHT31/SHT35 on I2C.
 *
 * @param name           the sensor name, unique on the board
 * @param bus            the I2C bus number
 * @param address        0x44 (ADDR low, default) or 0x45 (ADDR high)
 * @param repeatability  measurement repeatability; higher takes longer and is less noisy (default HIGH)
 * @param stuckThreshold identical raw T/RH pairs in a row that make the readings suspect; 0 disables; default 10
 */
public record Sht3xConfig(String name, int bus, int address, Repeatability repeatability, int stuckThreshold)
        implements I2cChipConfig {

    public Sht3xConfig {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        if (bus < 0) {
            throw new IllegalArgumentException("bus must be >= 0, was " + bus);
        }
        if (address != 0x44 && address != 0x45) {
            throw new IllegalArgumentException("address must be 0x44 or 0x45, was 0x" + Integer.toHexString(address));
        }
        Objects.requireNonNull(repeatability, "repeatability");
        if (stuckThreshold < 0 || stuckThreshold == 1) {
            throw new IllegalArgumentException("stuckThreshold must be 0 (off) or >= 2, was " + stuckThreshold);
        }
    }

    /** Bus 1, address 0x44, high repeatability, stuck after 10 identical samples. */
    public static Sht3xConfig defaults(String name) {
        return new Sht3xConfig(name, 1, 0x44, Repeatability.HIGH, 10);
    }

    /** A copy with another stuck threshold. */
    public Sht3xConfig withStuckThreshold(int threshold) {
        return new Sht3xConfig(name, bus, address, repeatability, threshold);
    }

    /** Single-shot measurement commands without clock stretching, and their maximum durations. */
    public enum Repeatability {
        HIGH(0x2400, Duration.ofNanos(15_500_000)),
        MEDIUM(0x240B, Duration.ofNanos(6_500_000)),
        LOW(0x2416, Duration.ofNanos(4_500_000));

        private final int command;
        private final Duration maxDuration;

        Repeatability(int command, Duration maxDuration) {
            this.command = command;
            this.maxDuration = maxDuration;
        }

        /** The 16-bit command word. */
        public int command() {
            return command;
        }

        /** The datasheet's maximum measurement duration. */
        public Duration maxDuration() {
            return maxDuration;
        }
    }
}
