/**
 * DHT22/AM2302 humidity and temperature sensor, read through the kernel's dht11 IIO driver.
 *
 * <p>Flow: {@link dev.fleetlet.drivers.dht22.Dht22Sensor#sample()} honours the 2 s minimum interval
 * (returning its cached result inside it), finds the IIO device under {@code <root>/sys/bus/iio/devices},
 * reads {@code in_temp_input} and {@code in_humidityrelative_input} through the
 * {@link dev.fleetlet.drivers.sysfs.SysfsFiles} port and retries the kernel's EIO/ETIMEDOUT failures.
 * {@link dev.fleetlet.drivers.dht22.FakeIioDht} is the in-memory device with failure injection.
 */
package dev.fleetlet.drivers.dht22;
