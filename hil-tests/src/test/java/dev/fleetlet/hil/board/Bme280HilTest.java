package dev.fleetlet.hil.board;

import dev.fleetlet.drivers.bme280.Bme280Contract;
import dev.fleetlet.drivers.bme280.Bme280Sensor;
import dev.fleetlet.drivers.i2c.ContractMode;
import dev.fleetlet.drivers.i2c.Expectation;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The BME280 contract on a real chip: the first {@code bme280} entry of the board file (the example
 * has it at 0x76 on I2C bus 1), read through Pi4J's linuxfs I2C provider.
 *
 * <p>Wiring: BME280 breakout VIN to 3V3 (pin 1), GND, SDA to GPIO2 (pin 3), SCL to GPIO3 (pin 5); SDO to
 * GND for 0x76. Enable I2C ({@code dtparam=i2c_arm=on}); {@code i2cdetect -y 1} must show 76.
 * Ranges are indoor ones: -10..50 °C, 80,000..110,000 Pa, 0..100 %RH. Needs
 * {@code -Dfleetlet.hil.board=pi}; fails without it.
 */
class Bme280HilTest extends Bme280Contract {

    @RegisterExtension
    static final HilBoardExtension hil = new HilBoardExtension();

    @Override
    protected Bme280Sensor createSensor() {
        return hil.board().openSensor(hil.board().sensorOfType("bme280"), Bme280Sensor.class);
    }

    @Override
    protected ContractMode mode() {
        return ContractMode.PLAUSIBILITY;
    }

    @Override
    protected List<Expectation> expectations() {
        return List.of(
                new Expectation("temperature", "Cel", Double.NaN, 0, -10, 50),
                new Expectation("pressure", "Pa", Double.NaN, 0, 80_000, 110_000),
                new Expectation("humidity", "%RH", Double.NaN, 0, 0, 100));
    }
}
