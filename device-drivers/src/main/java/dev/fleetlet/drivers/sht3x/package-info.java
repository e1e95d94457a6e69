/**
 * Sensirion SHT30/SHT31/SHT35 humidity and temperature sensor over I2C.
 *
 * <p>Flow: {@link dev.fleetlet.drivers.sht3x.Sht3xSensor#sample()} sends a single-shot command, waits
 * the measurement time, reads two words with a CRC each ({@link dev.fleetlet.drivers.sht3x.Sht3xCrc}),
 * and converts them to °C and %RH. {@link dev.fleetlet.drivers.sht3x.FakeSht3x} answers the same
 * commands from signal sources.
 */
package dev.fleetlet.drivers.sht3x;
