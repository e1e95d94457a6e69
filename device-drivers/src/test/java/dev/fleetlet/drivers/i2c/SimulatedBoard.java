package dev.fleetlet.drivers.i2c;

import dev.fleetlet.drivers.Quality;
import dev.fleetlet.drivers.Reading;
import dev.fleetlet.drivers.Sensor;
import dev.fleetlet.drivers.config.BoardType;
import dev.fleetlet.drivers.config.SensorSpec;
import dev.fleetlet.drivers.sim.SimulatedSignals;
import dev.fleetlet.drivers.spi.DriverContext;
import dev.fleetlet.drivers.spi.SensorDriverFactory;
import dev.fleetlet.drivers.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Runs a chip factory on the simulated board (the module's signal source) for tests. */
public final class SimulatedBoard {

    private SimulatedBoard() {
    }

    /**
     * Creates the sensor through {@code factory} on a simulated board and samples it {@code samples}
     * times, {@code every} apart on the board clock.
     *
     * @return every reading that was not ok
     */
    public static List<Reading> notOkReadings(SensorDriverFactory factory, SensorSpec spec, Path root, int samples, Duration every) {
        MutableClock clock = new MutableClock(Instant.parse("2026-06-01T08:00:00Z"));
        DriverContext context = new DriverContext(BoardType.SIMULATED, null, root, root, clock, null,
                new SimulatedSignals(42, clock));
        List<Reading> notOk = new ArrayList<>();
        try (Sensor sensor = factory.create(spec, context)) {
            for (int i = 0; i < samples; i++) {
                sensor.sample().stream().filter(r -> !r.quality().equals(Quality.OK)).forEach(notOk::add);
                clock.advance(every);
            }
        }
        return notOk;
    }
}
