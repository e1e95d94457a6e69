package dev.fleetlet.drivers.gpio;

import static org.assertj.core.api.Assertions.assertThat;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import dev.fleetlet.drivers.Reading;
import dev.fleetlet.drivers.board.Pi4jContexts;
import dev.fleetlet.drivers.i2c.ContractMode;
import dev.fleetlet.drivers.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The digital-input contract on Pi4J's mock provider with a hand-moved clock, plus debounce details. */
class DigitalInputMockContractTest extends DigitalInputContract {

    static final class MockRig implements Rig {
        final Context context = Pi4jContexts.simulated();
        final MutableClock clock = MutableClock.at("2025-06-01T12:00:00Z");
        final DigitalInputSensor sensor;

        MockRig(boolean activeLow, Duration debounce) {
            sensor = new DigitalInputSensor(new DigitalInputSensor.Settings("pir", 17, DigitalInputSensor.Pull.DOWN,
                    debounce, activeLow, "motion"), context, clock);
        }

        @Override
        public DigitalInputSensor sensor() {
            return sensor;
        }

        @Override
        public void level(boolean high) {
            ((MockDigitalInput) sensor.pin()).mockState(high ? DigitalState.HIGH : DigitalState.LOW);
        }

        @Override
        public void pass(Duration d) {
            clock.advance(d);
        }

        @Override
        public void close() {
            sensor.close();
            context.shutdown();
        }
    }

    @Override
    protected Rig open(boolean activeLow) {
        return new MockRig(activeLow, Duration.ofMillis(10));
    }

    @Override
    protected ContractMode mode() {
        return ContractMode.EXACT;
    }

    private static double value(List<Reading> readings, String quantity) {
        return readings.stream().filter(r -> r.quantity().equals(quantity)).findFirst().orElseThrow().value();
    }

    @Test
    void ignoresABounceBurstShorterThanTheDebounceTime() {
        try (MockRig r = new MockRig(false, Duration.ofMillis(10))) {
            for (int i = 0; i < 5; i++) {
                r.level(true);
                r.pass(Duration.ofMillis(1));
                r.level(false);
                r.pass(Duration.ofMillis(1));
            }
            r.pass(Duration.ofMillis(30));

            List<Reading> readings = r.sensor.sample();

            assertThat(value(readings, "motion")).isZero();
            assertThat(value(readings, "edges")).isZero();
        }
    }

    @Test
    void settlesOnTheFinalLevelAfterBouncingAndCountsOneEdge() {
        try (MockRig r = new MockRig(false, Duration.ofMillis(10))) {
            r.level(true);
            r.pass(Duration.ofMillis(2));
            r.level(false);
            r.pass(Duration.ofMillis(2));
            r.level(true);

            r.pass(Duration.ofMillis(5));
            assertThat(value(r.sensor.sample(), "motion")).as("not yet stable").isZero();

            r.pass(Duration.ofMillis(5));
            List<Reading> settled = r.sensor.sample();
            assertThat(value(settled, "motion")).isEqualTo(1.0);
            assertThat(value(settled, "edges")).isEqualTo(1.0);
        }
    }

    @Test
    void zeroDebounceCountsEveryChange() {
        try (MockRig r = new MockRig(false, Duration.ZERO)) {
            r.level(true);
            r.level(false);
            r.level(true);

            assertThat(value(r.sensor.sample(), "edges")).isEqualTo(2.0);
        }
    }

    @Test
    void closeReleasesThePinSoItCanBeOpenedAgain() {
        MockRig r = new MockRig(false, Duration.ofMillis(10));
        r.sensor.close();
        r.sensor.close();

        DigitalInputSensor again = new DigitalInputSensor(new DigitalInputSensor.Settings("pir", 17,
                DigitalInputSensor.Pull.DOWN, Duration.ofMillis(10), false, "motion"), r.context, r.clock);

        assertThat(again.sample()).hasSize(2);
        again.close();
        r.context.shutdown();
    }
}
