package dev.fleetlet.drivers.spi;

import dev.fleetlet.drivers.ads1115.Ads1115DriverFactory;
import dev.fleetlet.drivers.bme280.Bme280Config;
import dev.fleetlet.drivers.bme280.Bme280DriverFactory;
import dev.fleetlet.drivers.dht22.Dht22DriverFactory;
import dev.fleetlet.drivers.ds18b20.Ds18b20DriverFactory;
import dev.fleetlet.drivers.gpio.GpioDriverFactories;
import dev.fleetlet.drivers.health.BoardHealthFactory;
import dev.fleetlet.drivers.sht3x.Sht3xDriverFactory;
import java.util.List;

/**
 * The list of drivers shipped in this module. To add a chip: implement {@link SensorDriverFactory}
 * in the chip's package and add one line below.
 */
final class StandardDrivers {

    private StandardDrivers() {
    }

    static List<SensorDriverFactory> sensorFactories() {
        return List.of(
                // GPIO and board drivers
                new GpioDriverFactories.DigitalInputFactory(),
                new BoardHealthFactory(),
                // I2C / sysfs chip drivers
                new Bme280DriverFactory(Bme280Config.Variant.BME280),
                new Bme280DriverFactory(Bme280Config.Variant.BMP280),
                new Ads1115DriverFactory(),
                new Sht3xDriverFactory(),
                new Ds18b20DriverFactory(),
                new Dht22DriverFactory()
        );
    }

    static List<ActuatorDriverFactory> actuatorFactories() {
        return List.of(
                new GpioDriverFactories.DigitalOutputFactory(),
                new GpioDriverFactories.PwmFactory());
    }
}
