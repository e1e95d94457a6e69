package dev.fleetlet.drivers.health;

import dev.fleetlet.drivers.i2c.ContractMode;
import dev.fleetlet.drivers.i2c.Expectation;
import dev.fleetlet.drivers.testing.MutableClock;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The board-health contract on a fake /proc + /sys tree with exact values. */
class BoardHealthFakeTreeContractTest extends BoardHealthContract {

    @TempDir
    Path root;

    private BoardHealthSensor sensor;

    @BeforeEach
    void tree() {
        new FakeProcTree(root);
        sensor = new BoardHealthSensor(new BoardHealthSensor.Settings("health", root, root,
                BoardHealthSensor.ThrottledSource.AUTO, 60), MutableClock.at("2025-06-01T12:00:00Z"),
                (cmd, timeout) -> {
                    throw new java.io.IOException("vcgencmd must not be called when the sysfs node exists");
                },
                dir -> new long[] {32_000_000_000L, 24_000_000_000L});
    }

    @Override
    protected BoardHealthSensor sensor() {
        return sensor;
    }

    @Override
    protected ContractMode mode() {
        return ContractMode.EXACT;
    }

    private static Expectation exact(String q, String unit, double v) {
        return new Expectation(q, unit, v, 1e-9, v, v);
    }

    @Override
    protected List<Expectation> expectations() {
        return List.of(
                exact("cpu_temperature", "Cel", 48.312),
                exact("throttled", "1", 0x50005),
                exact("under_voltage", "1", 1),
                exact("frequency_capped", "1", 0),
                exact("throttled_now", "1", 1),
                exact("soft_temp_limit", "1", 0),
                exact("under_voltage_occurred", "1", 1),
                exact("frequency_capped_occurred", "1", 0),
                exact("throttling_occurred", "1", 1),
                exact("soft_temp_limit_occurred", "1", 0),
                exact("load_1m", "1", 0.52),
                exact("load_5m", "1", 0.58),
                exact("load_15m", "1", 0.59),
                exact("memory_total", "By", 3_882_816L * 1024),
                exact("memory_available", "By", 2_912_112L * 1024),
                exact("memory_used", "%", 100.0 * (3_882_816 - 2_912_112) / 3_882_816),
                exact("disk_total", "By", 32e9),
                exact("disk_free", "By", 24e9),
                exact("disk_used", "%", 25.0),
                exact("uptime", "s", 12345.67));
    }
}
