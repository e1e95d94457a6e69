package dev.fleetlet.drivers.sht3x;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.drivers.config.SensorSpec;
import dev.fleetlet.drivers.i2c.SimulatedBoard;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sht3xSimulatedBoardTest {

    @Test
    void slowSimulatedSignalsSampledAtTenHertzNeverLookStuck(@TempDir Path root) {
        assertThat(SimulatedBoard.notOkReadings(new Sht3xDriverFactory(), SensorSpec.of("sht3x", "cellar"), root,
                600, Duration.ofMillis(100))).isEmpty();
    }
}
