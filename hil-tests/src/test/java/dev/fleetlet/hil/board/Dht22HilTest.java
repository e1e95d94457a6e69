package dev.fleetlet.hil.board;

import dev.fleetlet.drivers.dht22.Dht22Contract;
import dev.fleetlet.drivers.dht22.Dht22Sensor;
import dev.fleetlet.drivers.i2c.ContractMode;
import dev.fleetlet.drivers.i2c.Expectation;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The DHT22 contract on a real sensor through the kernel's dht11 IIO driver: the first {@code dht22}
 * entry of the board file (default device: the IIO device whose name starts with {@code dht11}).
 *
 * <p>Wiring: data to GPIO5 (pin 29) with a 10 kΩ pull-up to 3V3 (many modules have it), VCC to 3V3, GND;
 * {@code dtoverlay=dht11,gpiopin=5} in config.txt. The kernel driver fails reads now and then; the
 * driver's retries must hide that. Indoor ranges -10..50 °C, 0..100 %RH. Needs
 * {@code -Dfleetlet.hil.board=pi}; fails without it.
 */
class Dht22HilTest extends Dht22Contract {

    @RegisterExtension
    static final HilBoardExtension hil = new HilBoardExtension();

    @Override
    protected Dht22Sensor createSensor() {
        return hil.board().openSensor(hil.board().sensorOfType("dht22"), Dht22Sensor.class);
    }

    @Override
    protected ContractMode mode() {
        return ContractMode.PLAUSIBILITY;
    }

    @Override
    protected List<Expectation> expectations() {
        return List.of(new Expectation("temperature", "Cel", Double.NaN, 0, -10, 50),
                new Expectation("humidity", "%RH", Double.NaN, 0, 0, 100));
    }
}
