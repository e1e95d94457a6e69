package dev.fleetlet.drivers.ads1115;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.drivers.config.SensorSpec;
import dev.fleetlet.drivers.i2c.SimulatedBoard;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Ads1115SimulatedBoardTest {

    @Test
    void simulatedChannelReadsOkWithStuckCheckOn(@TempDir Path root) {
        SensorSpec spec = SensorSpec.of("ads1115", "soil").withOptions(Map.of("channel", "ain1", "stuck-threshold", "5"));

        assertThat(SimulatedBoard.notOkReadings(new Ads1115DriverFactory(), spec, root, 300, Duration.ofMillis(100))).isEmpty();
    }
}
