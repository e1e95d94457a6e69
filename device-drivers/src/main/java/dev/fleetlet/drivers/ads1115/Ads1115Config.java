package dev.fleetlet.drivers.ads1115;

import dev.fleetlet.drivers.spi.I2cChipConfig;
import java.util.List;
import java.util.Objects;

/**
 * Validated settings of one TI ADS1115 16-bit ADC on I2C.
 *
 * @param name           the sensor name, unique on the board
 * @param bus            the I2C bus number
 * @param address        0x48 (ADDR to GND, default), 0x49 (VDD), 0x4A (SDA) or 0x4B (SCL)
 * @param channels       what to convert per sample, in reading order; at least one, quantities unique
 * @param stuckThreshold identical codes in a row on one channel that make it suspect; 0 (default) disables,
 *                       since a steady reference legitimately repeats
 */
public record Ads1115Config(String name, int bus, int address, List<Channel> channels, int stuckThreshold)
        implements I2cChipConfig {

    public Ads1115Config {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        if (bus < 0) {
            throw new IllegalArgumentException("bus must be >= 0, was " + bus);
        }
        if (address < 0x48 || address > 0x4B) {
            throw new IllegalArgumentException("address must be within 0x48..0x4B, was 0x" + Integer.toHexString(address));
        }
        channels = List.copyOf(Objects.requireNonNull(channels, "channels"));
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("channels must not be empty");
        }
        if (channels.stream().map(Channel::quantity).distinct().count() != channels.size()) {
            throw new IllegalArgumentException("channels must have distinct quantities, were "
                    + channels.stream().map(Channel::quantity).toList());
        }
        if (stuckThreshold < 0 || stuckThreshold == 1) {
            throw new IllegalArgumentException("stuckThreshold must be 0 (off) or >= 2, was " + stuckThreshold);
        }
    }

    /** One channel at 0x48 on bus 1, stuck check off. */
    public static Ads1115Config single(String name, Channel channel) {
        return new Ads1115Config(name, 1, 0x48, List.of(channel), 0);
    }

    /**
     * One conversion per sample.
     *
     * @param quantity the reading's quantity, e.g. {@code voltage} or {@code soil_moisture}
     * @param mux      the input (single-ended or differential)
     * @param gain     the programmable full-scale range
     * @param rate     the data rate; also sets the conversion time (1/rate)
     * @param scaling  optional linear map from volts to another unit, {@code null} for volts
     */
    public record Channel(String quantity, Mux mux, Gain gain, DataRate rate, Scaling scaling) {
        public Channel {
            if (quantity == null || quantity.isBlank()) {
                throw new IllegalArgumentException("quantity must not be blank");
            }
            Objects.requireNonNull(mux, "mux");
            Objects.requireNonNull(gain, "gain");
            Objects.requireNonNull(rate, "rate");
        }

        /** A plain voltage channel at ±4.096 V, 128 SPS. */
        public static Channel voltage(String quantity, Mux mux) {
            return new Channel(quantity, mux, Gain.FS_4_096V, DataRate.SPS_128, null);
        }

        /** The reading's unit. */
        public String unit() {
            return scaling == null ? "V" : scaling.unit();
        }
    }

    /**
     * Linear scaling through two calibration points, e.g. a capacitive soil probe reading 2.80 V dry
     * (0 %) and 1.20 V in water (100 %). Scaled values outside {@code min..max} are suspect.
     */
    public record Scaling(String unit, double voltsA, double valueA, double voltsB, double valueB, double min, double max) {
        public Scaling {
            if (unit == null || unit.isBlank()) {
                throw new IllegalArgumentException("scaling unit must not be blank");
            }
            if (voltsA == voltsB) {
                throw new IllegalArgumentException("scaling voltsA and voltsB must differ, both were " + voltsA);
            }
            if (!(min <= max)) {
                throw new IllegalArgumentException("scaling min must be <= max, were " + min + " and " + max);
            }
        }

        /** Maps volts to the scaled quantity. */
        public double apply(double volts) {
            return valueA + (volts - voltsA) * (valueB - valueA) / (voltsB - voltsA);
        }
    }

    /** Input multiplexer (config bits 14:12). */
    public enum Mux {
        AIN0_AIN1(0b000, 0, 1), AIN0_AIN3(0b001, 0, 3), AIN1_AIN3(0b010, 1, 3), AIN2_AIN3(0b011, 2, 3),
        AIN0(0b100, 0, -1), AIN1(0b101, 1, -1), AIN2(0b110, 2, -1), AIN3(0b111, 3, -1);

        private final int bits;
        private final int positive;
        private final int negative;

        Mux(int bits, int positive, int negative) {
            this.bits = bits;
            this.positive = positive;
            this.negative = negative;
        }

        public int bits() {
            return bits;
        }

        /** The positive input, 0..3. */
        public int positive() {
            return positive;
        }

        /** The negative input 0..3, or -1 for GND (single-ended). */
        public int negative() {
            return negative;
        }

        /** The mux for config bits 14:12. */
        public static Mux fromBits(int bits) {
            for (Mux m : values()) {
                if (m.bits == bits) {
                    return m;
                }
            }
            throw new IllegalArgumentException("mux bits must be 0..7, was " + bits);
        }
    }

    /** Programmable gain amplifier: full-scale range (config bits 11:9). */
    public enum Gain {
        FS_6_144V(0b000, 6.144), FS_4_096V(0b001, 4.096), FS_2_048V(0b010, 2.048),
        FS_1_024V(0b011, 1.024), FS_0_512V(0b100, 0.512), FS_0_256V(0b101, 0.256);

        private final int bits;
        private final double fullScale;

        Gain(int bits, double fullScale) {
            this.bits = bits;
            this.fullScale = fullScale;
        }

        public int bits() {
            return bits;
        }

        /** The full-scale voltage: code 0x8000 is {@code -fullScale}, 0x7FFF is {@code fullScale·32767/32768}. */
        public double fullScale() {
            return fullScale;
        }

        /** The gain for config bits 11:9 (codes 6 and 7 also mean ±0.256 V). */
        public static Gain fromBits(int bits) {
            for (Gain g : values()) {
                if (g.bits == bits) {
                    return g;
                }
            }
            return FS_0_256V;
        }
    }

    /** Data rate in samples per second (config bits 7:5). */
    public enum DataRate {
        SPS_8(0b000, 8), SPS_16(0b001, 16), SPS_32(0b010, 32), SPS_64(0b011, 64),
        SPS_128(0b100, 128), SPS_250(0b101, 250), SPS_475(0b110, 475), SPS_860(0b111, 860);

        private final int bits;
        private final int samplesPerSecond;

        DataRate(int bits, int samplesPerSecond) {
            this.bits = bits;
            this.samplesPerSecond = samplesPerSecond;
        }

        public int bits() {
            return bits;
        }

        public int samplesPerSecond() {
            return samplesPerSecond;
        }
    }
}
