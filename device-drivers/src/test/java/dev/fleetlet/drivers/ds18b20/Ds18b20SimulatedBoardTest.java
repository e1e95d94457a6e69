package dev.fleetlet.drivers.ds18b20;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.drivers.config.SensorSpec;
import dev.fleetlet.drivers.i2c.SimulatedBoard;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Ds18b20SimulatedBoardTest {

    @Test
    void simulatedSensorReadsOkWithoutAConfiguredId(@TempDir Path root) {
        assertThat(SimulatedBoard.notOkReadings(new Ds18b20DriverFactory(), SensorSpec.of("ds18b20", "tank"), root,
                100, Duration.ofSeconds(1))).isEmpty();
    }
}
