package dev.fleetlet.hil.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.protocol.message.Reading;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignalModelTest {

    private static final Instant NOON = Instant.parse("2026-06-01T12:00:00Z");

    @Test
    void sameSeedAndDeviceGiveTheSameReadings() {
        List<Reading> a = new SignalModel(7, 3).batch(NOON, Duration.ofSeconds(10), 9);
        List<Reading> b = new SignalModel(7, 3).batch(NOON, Duration.ofSeconds(10), 9);
        assertThat(a).isEqualTo(b);
    }

    @Test
    void differentDevicesGetDifferentSignals() {
        List<Reading> a = new SignalModel(7, 3).batch(NOON, Duration.ofSeconds(10), 3);
        List<Reading> b = new SignalModel(7, 4).batch(NOON, Duration.ofSeconds(10), 3);
        assertThat(a.get(0).value()).isNotEqualTo(b.get(0).value());
    }

    @Test
    void batchCyclesQuantitiesAndSpreadsSampleTimesOverTheInterval() {
        List<Reading> batch = new SignalModel(1, 0).batch(NOON, Duration.ofSeconds(9), 7);
        assertThat(batch).extracting(Reading::quantity).containsExactly("temperature", "humidity", "motion_count",
                "temperature", "humidity", "motion_count", "temperature");
        assertThat(batch).extracting(Reading::unit).startsWith("Cel", "%RH", "1");
        assertThat(batch.get(0).ts()).isEqualTo(NOON.minusSeconds(6));
        assertThat(batch.get(6).ts()).isEqualTo(NOON);
        assertThat(batch).allSatisfy(r -> assertThat(r.quality()).isEqualTo(Reading.Quality.OK));
    }

    @Test
    void afternoonIsWarmerThanEarlyMorningAndValuesStayPlausible() {
        SignalModel model = new SignalModel(11, 2);
        double morning = 0;
        double afternoon = 0;
        for (int day = 0; day < 20; day++) {
            Instant d = Instant.parse("2026-06-01T00:00:00Z").plus(Duration.ofDays(day));
            morning += model.temperature(d.plus(Duration.ofHours(5)));
            afternoon += model.temperature(d.plus(Duration.ofHours(17)));
            assertThat(model.humidity(d.plus(Duration.ofHours(day)))).isBetween(5.0, 95.0);
        }
        assertThat(afternoon / 20 - morning / 20).isGreaterThan(2.0);
        assertThat(morning / 20).isBetween(10.0, 25.0);
        assertThat(afternoon / 20).isBetween(18.0, 30.0);
    }

    @Test
    void motionCounterNeverDecreasesAndCountsSomethingInDayTime() {
        SignalModel model = new SignalModel(5, 1);
        double last = 0;
        for (int i = 0; i < 200; i++) {
            double v = model.motion(NOON.plusSeconds(i * 10L));
            assertThat(v).isGreaterThanOrEqualTo(last);
            last = v;
        }
        assertThat(last).isPositive();
    }
}
