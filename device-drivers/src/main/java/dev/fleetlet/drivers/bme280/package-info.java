/**
 * Bosch BME280 / BMP280 environmental sensor over I2C.
 *
 * <p>Flow: {@link dev.fleetlet.drivers.bme280.Bme280Sensor#sample()} checks the chip id and reads the
 * {@link dev.fleetlet.drivers.bme280.Bme280Calibration} once (again after any failure), starts a forced
 * conversion or reads the latest normal-mode result, and turns raw ADC values into °C, Pa and %RH with
 * {@link dev.fleetlet.drivers.bme280.Bme280Compensation}. {@link dev.fleetlet.drivers.bme280.FakeBme280}
 * runs the same compensation backwards to serve physical values from signal sources as raw registers.
 */
package dev.fleetlet.drivers.bme280;
