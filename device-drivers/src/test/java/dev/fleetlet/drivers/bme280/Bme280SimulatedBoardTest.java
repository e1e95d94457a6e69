package dev.fleetlet.drivers.bme280;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.drivers.config.SensorSpec;
import dev.fleetlet.drivers.i2c.SimulatedBoard;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Bme280SimulatedBoardTest {

    @Test
    void slowSimulatedSignalsSampledAtTenHertzNeverLookStuck(@TempDir Path root) {
        assertThat(SimulatedBoard.notOkReadings(new Bme280DriverFactory(Bme280Config.Variant.BME280),
                SensorSpec.of("bme280", "greenhouse"), root, 600, Duration.ofMillis(100))).isEmpty();
        assertThat(SimulatedBoard.notOkReadings(new Bme280DriverFactory(Bme280Config.Variant.BMP280),
                SensorSpec.of("bmp280", "shed"), root, 200, Duration.ofMillis(100))).isEmpty();
    }
}
