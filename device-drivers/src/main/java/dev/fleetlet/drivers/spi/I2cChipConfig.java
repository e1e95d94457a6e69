package dev.fleetlet.drivers.spi;

/** The I2C location of a chip's validated config: what {@link I2cChipFactory} opens. */
public interface I2cChipConfig {

    /** The I2C bus number ({@code /dev/i2c-N}). */
    int bus();

    /** The 7-bit device address. */
    int address();
}
