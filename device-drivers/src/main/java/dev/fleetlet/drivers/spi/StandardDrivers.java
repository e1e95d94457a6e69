package dev.fleetlet.drivers.spi;

import dev.fleetlet.drivers.gpio.GpioDriverFactories;
import dev.fleetlet.drivers.health.BoardHealthFactory;
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
                new BoardHealthFactory()
                // I2C / sysfs chip drivers
        );
    }

    static List<ActuatorDriverFactory> actuatorFactories() {
        return List.of(
                new GpioDriverFactories.DigitalOutputFactory(),
                new GpioDriverFactories.PwmFactory());
    }
}
