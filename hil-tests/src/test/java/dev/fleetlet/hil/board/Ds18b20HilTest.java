package dev.fleetlet.hil.board;

import dev.fleetlet.drivers.config.SensorSpec;
import dev.fleetlet.drivers.ds18b20.Ds18b20Contract;
import dev.fleetlet.drivers.ds18b20.Ds18b20Discovery;
import dev.fleetlet.drivers.ds18b20.Ds18b20Sensor;
import dev.fleetlet.drivers.sysfs.SysfsFiles;
import dev.fleetlet.drivers.i2c.ContractMode;
import dev.fleetlet.drivers.i2c.Expectation;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The DS18B20 contract on a real probe through the kernel's w1_therm driver: the first {@code ds18b20}
 * entry of the board file, which must give {@code options.device-id} (the {@code 28-...} directory under
 * {@code /sys/bus/w1/devices}).
 *
 * <p>Wiring: data to GPIO4 (pin 7) with a 4.7 kΩ pull-up to 3V3, VDD to 3V3, GND; {@code dtoverlay=w1-gpio}
 * in config.txt. Exactly one DS18B20 on the bus (the contract also reads "the only sensor" without an
 * id). Indoor range -10..50 °C. Needs {@code -Dfleetlet.hil.board=pi}; fails without it.
 */
class Ds18b20HilTest extends Ds18b20Contract {

    @RegisterExtension
    static final HilBoardExtension hil = new HilBoardExtension();

    private static SensorSpec spec() {
        return hil.board().sensorOfType("ds18b20");
    }

    @Override
    protected Ds18b20Sensor createSensor(boolean byId) {
        if (byId) {
            deviceId();
            return hil.board().openSensor(spec(), Ds18b20Sensor.class);
        }
        Map<String, String> withoutId = new LinkedHashMap<>(spec().options());
        withoutId.remove("device-id");
        return hil.board().openSensor(spec().withOptions(withoutId), Ds18b20Sensor.class);
    }

    @Override
    protected Ds18b20Discovery discovery() {
        return new Ds18b20Discovery(SysfsFiles.SYSTEM, hil.board().config().root());
    }

    @Override
    protected String deviceId() {
        String id = spec().options().get("device-id");
        if (id == null) {
            throw Assertions.<AssertionError>fail(spec().keyPath()
                    + ".options.device-id: the hardware binding needs the probe's id (ls /sys/bus/w1/devices)");
        }
        return id;
    }

    @Override
    protected ContractMode mode() {
        return ContractMode.PLAUSIBILITY;
    }

    @Override
    protected Expectation expectation() {
        return new Expectation("temperature", "Cel", Double.NaN, 0, -10, 50);
    }
}
