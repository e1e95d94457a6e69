package dev.fleetlet.drivers.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SignalsTest {

    private static final long NOON = Instant.parse("2025-06-01T12:00:00Z").toEpochMilli();

    @Test
    void sameSeedAndTimeGiveTheSameValueWhateverTheCallOrder() {
        SimulatedSignals a = new SimulatedSignals(42, java.time.Clock.systemUTC());
        SimulatedSignals b = new SimulatedSignals(42, java.time.Clock.systemUTC());

        double later = a.signal("greenhouse", "temperature").at(NOON + 5_000);
        double first = a.signal("greenhouse", "temperature").at(NOON);

        assertThat(b.signal("greenhouse", "temperature").at(NOON)).isEqualTo(first);
        assertThat(b.signal("greenhouse", "temperature").at(NOON + 5_000)).isEqualTo(later);
        assertThat(new SimulatedSignals(43, java.time.Clock.systemUTC()).signal("greenhouse", "temperature").at(NOON))
                .isNotEqualTo(first);
    }

    @Test
    void dailyCyclePeaksAtTheGivenHourAndBottomsTwelveHoursLater() {
        Signal cycle = Signals.dailyCycle(20, 5, 15);
        long peak = Instant.parse("2025-06-01T15:00:00Z").toEpochMilli();

        assertThat(cycle.at(peak)).isCloseTo(25.0, within(1e-9));
        assertThat(cycle.at(peak + 12 * 3_600_000L)).isCloseTo(15.0, within(1e-9));
    }

    @Test
    void temperatureVariesSlowlyAndPlausibly() {
        Signal t = new SimulatedSignals(7, java.time.Clock.systemUTC()).signal("room", "temperature");

        LongStream.range(0, 24 * 60).forEach(minute -> {
            double now = t.at(NOON + minute * 60_000);
            double next = t.at(NOON + (minute + 1) * 60_000);
            assertThat(now).isBetween(16.0, 26.0);
            assertThat(Math.abs(next - now)).as("change per minute").isLessThan(0.1);
        });
    }

    @Test
    void pirFiresNowAndThenAbout1In18Slots() {
        Signal pir = Signals.events(99, 90_000, 5_000);

        long active = LongStream.range(0, 10_000).filter(slot -> pir.at(NOON + slot * 5_000) > 0.5).count();

        assertThat(active).isBetween(450L, 660L);
    }

    @Test
    void adcNoiseHasTheConfiguredSpread() {
        Signal noise = Signals.whiteNoise(5, 0.002, 100);

        double[] v = LongStream.range(0, 20_000).mapToDouble(i -> noise.at(NOON + i * 100)).toArray();
        double mean = java.util.Arrays.stream(v).average().orElseThrow();
        double std = Math.sqrt(java.util.Arrays.stream(v).map(x -> (x - mean) * (x - mean)).average().orElseThrow());

        assertThat(mean).isCloseTo(0.0, within(0.0001));
        assertThat(std).isCloseTo(0.002, within(0.0002));
    }
}
