package dev.fleetlet.drivers.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetlet.drivers.ActuatorCommand;
import dev.fleetlet.drivers.Quality;
import dev.fleetlet.drivers.Reading;
import dev.fleetlet.drivers.board.Board;
import dev.fleetlet.drivers.config.BoardConfig;
import dev.fleetlet.drivers.config.BoardConfigParser;
import dev.fleetlet.drivers.sampler.Sampler;
import dev.fleetlet.drivers.spi.DriverRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

class SimulatedBoardTest {

    private static final String YAML = """
            board: {type: simulated, seed: 42}
            sensors:
              - {type: digital-input, name: pir, pin: 17, interval: 50ms, options: {quantity: motion}}
              - {type: board-health, name: health, interval: 50ms}
            actuators:
              - {type: digital-output, name: pump, pin: 27, activeLow: true}
              - {type: pwm, name: fan, pin: 18, safeState: 0.2}
            """;

    @Test
    void runsTheRealDriversOnMocksAndAFakeTreeWithPlausibleValues() {
        BoardConfig config = new BoardConfigParser(DriverRegistry.standard()).parse(YAML);
        ConcurrentLinkedQueue<Reading> received = new ConcurrentLinkedQueue<>();

        try (Board board = Board.open(config, DriverRegistry.standard(), Clock.systemUTC());
             Sampler sampler = new Sampler(board.sensors(), received::add, Clock.systemUTC())) {
            sampler.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> received.stream().filter(r -> r.sensor().equals("health")).count() >= 40);

            board.actuators().get("fan").apply(new ActuatorCommand.SetLevel(0.6));
            assertThat(board.actuators().get("fan").state().value()).isEqualTo(0.6);
            assertThat(board.actuators().get("pump").state().value()).isZero();
        }

        List<Reading> health = received.stream().filter(r -> r.sensor().equals("health")).toList();
        assertThat(health).extracting(Reading::quality).containsOnly(Quality.OK);
        assertThat(health).filteredOn(r -> r.quantity().equals("cpu_temperature"))
                .allSatisfy(r -> assertThat(r.value()).isBetween(35.0, 65.0));
        assertThat(health).filteredOn(r -> r.quantity().equals("uptime"))
                .allSatisfy(r -> assertThat(r.value()).isGreaterThanOrEqualTo(3600.0));
        assertThat(received).filteredOn(r -> r.sensor().equals("pir") && r.quantity().equals("motion"))
                .isNotEmpty().allSatisfy(r -> assertThat(r.value()).isIn(0.0, 1.0));
    }

    @Test
    void pirOnTheSimulatedBoardFollowsTheSignal() {
        BoardConfig config = new BoardConfigParser(DriverRegistry.standard()).parse(YAML);
        dev.fleetlet.drivers.testing.MutableClock clock = dev.fleetlet.drivers.testing.MutableClock.at("2025-06-01T12:00:00Z");
        Signal pir = new SimulatedSignals(42, clock).signal("pir", "motion");

        try (Board board = Board.open(config, DriverRegistry.standard(), clock)) {
            dev.fleetlet.drivers.Sensor sensor = board.sensors().get(0).sensor();
            int matches = 0;
            for (int i = 0; i < 200; i++) {
                clock.advance(Duration.ofSeconds(5));
                sensor.sample(); // level change seen at this instant ...
                clock.advance(Duration.ofMillis(20)); // ... and stable after the debounce time
                double motion = sensor.sample().get(0).value();
                if (motion == pir.at(clock.millis())) {
                    matches++;
                }
            }
            assertThat(matches).isEqualTo(200);
        }
    }
}
