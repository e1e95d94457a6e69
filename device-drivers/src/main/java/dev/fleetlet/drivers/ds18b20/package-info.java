/**
 * DS18B20 1-Wire temperature sensor, read through the kernel's w1_therm sysfs files.
 *
 * <p>Flow: {@link dev.fleetlet.drivers.ds18b20.Ds18b20Sensor#sample()} finds the node under
 * {@code <root>/sys/bus/w1/devices} (by id, or the only one found by
 * {@link dev.fleetlet.drivers.ds18b20.Ds18b20Discovery}), reads {@code w1_slave} (or {@code temperature})
 * through the {@link dev.fleetlet.drivers.sysfs.SysfsFiles} port, parses it with
 * {@link dev.fleetlet.drivers.ds18b20.W1Slave} and rejects CRC failures, 85 °C power-on values and
 * silent sensors. {@link dev.fleetlet.drivers.ds18b20.FakeW1Bus} is the in-memory sysfs.
 */
package dev.fleetlet.drivers.ds18b20;
