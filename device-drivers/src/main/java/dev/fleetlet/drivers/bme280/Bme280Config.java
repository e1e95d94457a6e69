package dev.fleetlet.drivers.bme280;

import dev.fleetlet.drivers.spi.I2cChipConfig;
import java.util.Objects;

/**
 * Validated settings of one BME280 or BMP280 on I2C.
 *
 * @param name                 the sensor name, unique on the board
 * @param bus                  the I2C bus number ({@code /dev/i2c-N}), default 1
 * @param address              0x76 (SDO low, default) or 0x77 (SDO high)
 * @param variant              the chip expected at the address; a different chip id fails every reading
 * @param temperatureOversampling oversampling of temperature; never {@code SKIP} (pressure and humidity need it)
 * @param pressureOversampling oversampling of pressure; {@code SKIP} leaves pressure out of the readings
 * @param humidityOversampling oversampling of humidity (BME280 only); {@code SKIP} leaves humidity out
 * @param mode                 {@code FORCED} (one conversion per sample, sleeps in between; default) or {@code NORMAL}
 * @param filter               IIR filter coefficient, default {@code OFF}
 * @param standby              standby time between conversions in normal mode
 * @param stuckThreshold       identical raw samples in a row that make the readings suspect; 0 disables; default 10
 */
public record Bme280Config(
        String name,
        int bus,
        int address,
        Variant variant,
        Oversampling temperatureOversampling,
        Oversampling pressureOversampling,
        Oversampling humidityOversampling,
        Mode mode,
        Filter filter,
        Standby standby,
        int stuckThreshold) implements I2cChipConfig {

    public Bme280Config {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        if (bus < 0) {
            throw new IllegalArgumentException("bus must be >= 0, was " + bus);
        }
        if (address != 0x76 && address != 0x77) {
            throw new IllegalArgumentException("address must be 0x76 or 0x77, was 0x" + Integer.toHexString(address));
        }
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(temperatureOversampling, "temperatureOversampling");
        Objects.requireNonNull(pressureOversampling, "pressureOversampling");
        Objects.requireNonNull(humidityOversampling, "humidityOversampling");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(standby, "standby");
        if (temperatureOversampling == Oversampling.SKIP) {
            throw new IllegalArgumentException("temperatureOversampling must not be SKIP: pressure and humidity compensation need temperature");
        }
        if (variant == Variant.BMP280 && humidityOversampling != Oversampling.SKIP) {
            throw new IllegalArgumentException("humidityOversampling must be SKIP for a BMP280 (it has no humidity sensor)");
        }
        if (stuckThreshold < 0 || stuckThreshold == 1) {
            throw new IllegalArgumentException("stuckThreshold must be 0 (off) or >= 2, was " + stuckThreshold);
        }
    }

    /** Defaults: bus 1, x1 oversampling for everything measured, forced mode, no filter, stuck after 10. */
    public static Bme280Config defaults(String name, Variant variant) {
        return new Bme280Config(name, 1, 0x76, variant, Oversampling.X1, Oversampling.X1,
                variant == Variant.BME280 ? Oversampling.X1 : Oversampling.SKIP,
                Mode.FORCED, Filter.OFF, Standby.MS_1000, 10);
    }

    /** A copy with another bus address. */
    public Bme280Config withAddress(int newAddress) {
        return new Bme280Config(name, bus, newAddress, variant, temperatureOversampling, pressureOversampling,
                humidityOversampling, mode, filter, standby, stuckThreshold);
    }

    /** A copy with another mode. */
    public Bme280Config withMode(Mode newMode) {
        return new Bme280Config(name, bus, address, variant, temperatureOversampling, pressureOversampling,
                humidityOversampling, newMode, filter, standby, stuckThreshold);
    }

    /** A copy with other oversampling settings. */
    public Bme280Config withOversampling(Oversampling t, Oversampling p, Oversampling h) {
        return new Bme280Config(name, bus, address, variant, t, p, h, mode, filter, standby, stuckThreshold);
    }

    /** A copy with another stuck threshold. */
    public Bme280Config withStuckThreshold(int threshold) {
        return new Bme280Config(name, bus, address, variant, temperatureOversampling, pressureOversampling,
                humidityOversampling, mode, filter, standby, threshold);
    }

    /** Which Bosch chip; told apart by the chip id register 0xD0. */
    public enum Variant {
        /** Temperature, pressure and humidity; chip id 0x60. */
        BME280,
        /** Temperature and pressure; chip id 0x58 (0x56/0x57 on engineering samples). */
        BMP280;

        /** Whether {@code chipId} (register 0xD0) identifies this variant. */
        public boolean matches(int chipId) {
            return this == BME280 ? chipId == 0x60 : chipId == 0x56 || chipId == 0x57 || chipId == 0x58;
        }

        /** The production chip id. */
        public int chipId() {
            return this == BME280 ? 0x60 : 0x58;
        }
    }

    /** Oversampling field value (osrs_t / osrs_p / osrs_h bits). */
    public enum Oversampling {
        SKIP(0, 0), X1(1, 1), X2(2, 2), X4(3, 4), X8(4, 8), X16(5, 16);

        private final int bits;
        private final int factor;

        Oversampling(int bits, int factor) {
            this.bits = bits;
            this.factor = factor;
        }

        /** The 3-bit register field. */
        public int bits() {
            return bits;
        }

        /** How many conversions are averaged (0 when skipped). */
        public int factor() {
            return factor;
        }
    }

    /** Power mode (ctrl_meas bits 1:0). */
    public enum Mode {
        /** One conversion per sample, then back to sleep: lowest power, freshest value. */
        FORCED(0b01),
        /** Continuous conversions with {@link Standby} in between; a sample reads the latest result. */
        NORMAL(0b11);

        private final int bits;

        Mode(int bits) {
            this.bits = bits;
        }

        /** The 2-bit register field. */
        public int bits() {
            return bits;
        }
    }

    /** IIR filter coefficient (config bits 4:2). */
    public enum Filter {
        OFF(0), X2(1), X4(2), X8(3), X16(4);

        private final int bits;

        Filter(int bits) {
            this.bits = bits;
        }

        /** The 3-bit register field. */
        public int bits() {
            return bits;
        }
    }

    /**
     * Standby time in normal mode (config bits 7:5). Codes 6 and 7 mean 10/20 ms on a BME280 but
     * 2000/4000 ms on a BMP280; the enum names say both.
     */
    public enum Standby {
        MS_0_5(0), MS_62_5(1), MS_125(2), MS_250(3), MS_500(4), MS_1000(5),
        MS_10_BME_OR_2000_BMP(6), MS_20_BME_OR_4000_BMP(7);

        private final int bits;

        Standby(int bits) {
            this.bits = bits;
        }

        /** The 3-bit register field. */
        public int bits() {
            return bits;
        }
    }
}
