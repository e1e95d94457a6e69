package dev.fleetlet.hil.board;

import dev.fleetlet.drivers.i2c.ContractMode;
import dev.fleetlet.drivers.i2c.Expectation;
import dev.fleetlet.drivers.sht3x.Sht3xContract;
import dev.fleetlet.drivers.sht3x.Sht3xSensor;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The SHT3x contract on a real SHT31: the first {@code sht3x} entry of the board file (the example has
 * it at 0x44 on I2C bus 1, ADDR pin to GND), sharing SDA/SCL (GPIO2/3) with the other I2C chips.
 * {@code i2cdetect -y 1} must show 44. Indoor ranges: -10..50 °C, 0..100 %RH. Needs
 * {@code -Dfleetlet.hil.board=pi}; fails without it.
 */
class Sht3xHilTest extends Sht3xContract {

    @RegisterExtension
    static final HilBoardExtension hil = new HilBoardExtension();

    @Override
    protected Sht3xSensor createSensor() {
        return hil.board().openSensor(hil.board().sensorOfType("sht3x"), Sht3xSensor.class);
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
