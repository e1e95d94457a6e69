package dev.fleetlet.drivers.dht22;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.drivers.config.SensorSpec;
import dev.fleetlet.drivers.i2c.SimulatedBoard;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Dht22SimulatedBoardTest {

    @Test
    void simulatedSensorReadsOkAndIsSampledAtMostEveryTwoSeconds(@TempDir Path root) {
        assertThat(SimulatedBoard.notOkReadings(new Dht22DriverFactory(), SensorSpec.of("dht22", "porch"), root,
                100, Duration.ofMillis(500))).isEmpty();
    }
}
