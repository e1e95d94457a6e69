package dev.fleetlet.hil.board;

import dev.fleetlet.drivers.health.BoardHealthContract;
import dev.fleetlet.drivers.health.BoardHealthSensor;
import dev.fleetlet.drivers.i2c.ContractMode;
import dev.fleetlet.drivers.i2c.Expectation;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The board-health contract on the Pi itself (the {@code board-health} entry of the board file, root
 * {@code /}): the real thermal zone, {@code get_throttled}, {@code /proc} and the data directory's
 * filesystem. No wiring. Ranges: CPU 20..90 °C (idle to just below the 85 °C soft limit plus margin),
 * flags 0/1, memory 256 MiB..16 GiB, uptime above 0. Needs {@code -Dfleetlet.hil.board=pi}; fails
 * without it.
 */
class BoardHealthHilTest extends BoardHealthContract {

    private static final double GIB = 1024.0 * 1024 * 1024;
    private static final double MAX_BYTES = 16 * GIB;
    private static final double MAX_DISK = 4e12;

    @RegisterExtension
    static final HilBoardExtension hil = new HilBoardExtension();
    private BoardHealthSensor sensor;

    @AfterEach
    void forgetClosedDevices() {
        sensor = null;
    }

    @Override
    protected BoardHealthSensor sensor() {
        if (sensor == null) {
            sensor = hil.board().openSensor(hil.board().sensorOfType("board-health"), BoardHealthSensor.class);
        }
        return sensor;
    }

    @Override
    protected ContractMode mode() {
        return ContractMode.PLAUSIBILITY;
    }

    private static Expectation range(String quantity, String unit, double min, double max) {
        return new Expectation(quantity, unit, Double.NaN, 0, min, max);
    }

    private static Expectation flag(String quantity) {
        return range(quantity, "1", 0, 1);
    }

    @Override
    protected List<Expectation> expectations() {
        return List.of(
                range("cpu_temperature", "Cel", 20, 90),
                range("throttled", "1", 0, 0xF000F),
                flag("under_voltage"),
                flag("frequency_capped"),
                flag("throttled_now"),
                flag("soft_temp_limit"),
                flag("under_voltage_occurred"),
                flag("frequency_capped_occurred"),
                flag("throttling_occurred"),
                flag("soft_temp_limit_occurred"),
                range("load_1m", "1", 0, 64),
                range("load_5m", "1", 0, 64),
                range("load_15m", "1", 0, 64),
                range("memory_total", "By", 256.0 * 1024 * 1024, MAX_BYTES),
                range("memory_available", "By", 0, MAX_BYTES),
                range("memory_used", "%", 0, 100),
                range("disk_total", "By", 1e8, MAX_DISK),
                range("disk_free", "By", 0, MAX_DISK),
                range("disk_used", "%", 0, 100),
                range("uptime", "s", 1, 1e10));
    }
}
