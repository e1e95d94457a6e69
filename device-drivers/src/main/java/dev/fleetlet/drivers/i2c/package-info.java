/**
 * The I2C port used by the Fleetlet chip drivers.
 *
 * <p>Flow: a driver (BME280, ADS1115, SHT3x) holds an {@link dev.fleetlet.drivers.i2c.I2cDevice}. On a
 * board it is a {@link dev.fleetlet.drivers.i2c.Pi4jI2cDevice} over Pi4J's linuxfs provider
 * ({@code /dev/i2c-N}); in tests and on the simulated board it is a subclass of
 * {@link dev.fleetlet.drivers.i2c.RegisterMapI2cDevice}, a register-map chip model with fault
 * injection. Bus faults travel as {@link java.io.IOException} up to the driver, which turns them into
 * failed readings. {@link dev.fleetlet.drivers.i2c.Pause} and
 * {@link dev.fleetlet.drivers.i2c.StuckValueDetector} are small helpers shared by the chip drivers.
 */
package dev.fleetlet.drivers.i2c;
