/**
 * Driver SPI: a {@link dev.fleetlet.drivers.spi.SensorDriverFactory} or
 * {@link dev.fleetlet.drivers.spi.ActuatorDriverFactory} per configured {@code type}, found through the
 * {@link dev.fleetlet.drivers.spi.DriverRegistry}. Flow: config parser → factory.validate (errors with
 * key paths) → board opens the Pi4J context → factory.create(spec, {@link dev.fleetlet.drivers.spi.DriverContext})
 * → sampler. On the simulated board factories feed their fakes from the
 * {@link dev.fleetlet.drivers.spi.SignalSource}.
 */
package dev.fleetlet.drivers.spi;
