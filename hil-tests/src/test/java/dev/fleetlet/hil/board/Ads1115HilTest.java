package dev.fleetlet.hil.board;

import dev.fleetlet.drivers.ads1115.Ads1115Config;
import dev.fleetlet.drivers.ads1115.Ads1115Contract;
import dev.fleetlet.drivers.ads1115.Ads1115DriverFactory;
import dev.fleetlet.drivers.ads1115.Ads1115Sensor;
import dev.fleetlet.drivers.config.Problems;
import dev.fleetlet.drivers.config.SensorSpec;
import dev.fleetlet.drivers.i2c.ContractMode;
import dev.fleetlet.drivers.i2c.Expectation;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ADS1115 contract on a real converter: the first {@code ads1115} entry of the board file (the
 * example: 0x48 on I2C bus 1, ADDR to GND, channel ain0 at ±4.096 V).
 *
 * <p>Wiring: VDD to 3V3, GND, SDA/SCL to GPIO2/3; AIN0 on the middle of a 10 kΩ/10 kΩ divider between
 * 3V3 and GND (about 1.65 V), so the input is never floating. The channel's value must lie within the
 * configured gain's full scale (±FS volts), or within the scaling's {@code min..max} for a scaled
 * channel. Needs {@code -Dfleetlet.hil.board=pi}; fails without it.
 */
class Ads1115HilTest extends Ads1115Contract {

    @RegisterExtension
    static final HilBoardExtension hil = new HilBoardExtension();

    @Override
    protected Ads1115Sensor createSensor() {
        return hil.board().openSensor(hil.board().sensorOfType("ads1115"), Ads1115Sensor.class);
    }

    @Override
    protected ContractMode mode() {
        return ContractMode.PLAUSIBILITY;
    }

    @Override
    protected List<Expectation> expectations() {
        return expectationsFor(hil.board().sensorOfType("ads1115"));
    }

    /** ±full scale of the configured gain per channel, or the scaled range; read through the driver's own config. */
    static List<Expectation> expectationsFor(SensorSpec spec) {
        Ads1115Config config = new Ads1115DriverFactory().config(spec, Problems.root());
        return config.channels().stream().map(c -> {
            Ads1115Config.Scaling s = c.scaling();
            double fs = c.gain().fullScale();
            return s == null
                    ? new Expectation(c.quantity(), c.unit(), Double.NaN, 0, -fs, fs)
                    : new Expectation(c.quantity(), c.unit(), Double.NaN, 0, s.min(), s.max());
        }).toList();
    }
}
