package dev.fleetlet.drivers.dht22;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetlet.drivers.Quality;
import dev.fleetlet.drivers.Reading;
import dev.fleetlet.drivers.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class Dht22FaultsTest {

    private final Path root = Path.of("/fake-root");
    private final AtomicReference<Double> celsius = new AtomicReference<>(21.0);
    private final FakeIioDht fake = new FakeIioDht(root, "iio:device0", celsius::get, () -> 55.0);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    private final List<Duration> pauses = new ArrayList<>();

    private Dht22Sensor sensor(Dht22Config config) {
        return new Dht22Sensor(config, fake, root, clock, pauses::add);
    }

    private Dht22Sensor sensor() {
        return sensor(Dht22Config.defaults("porch"));
    }

    @Test
    void retriesEioAndEtimedoutThenReadsOk() {
        fake.failNextReads(1, FakeIioDht.EIO);
        fake.failNextReads(1, FakeIioDht.ETIMEDOUT);
        Dht22Sensor sensor = sensor();

        List<Reading> readings = sensor.sample();

        assertThat(readings).extracting(Reading::quality).containsOnly(Quality.OK);
        assertThat(readings.get(0).value()).isEqualTo(21.0);
        assertThat(fake.measurements()).isEqualTo(3);
        assertThat(sensor.retries()).isEqualTo(2);
        assertThat(pauses).containsExactly(Duration.ofMillis(500), Duration.ofMillis(500));
    }

    @Test
    void failsWithTheKernelsMessageWhenEveryAttemptFails() {
        fake.failNextReads(3, FakeIioDht.EIO);

        List<Reading> readings = sensor().sample();

        assertThat(readings).allSatisfy(r ->
                assertThat(r.quality()).isEqualTo(Quality.failed("read error after 3 attempts: Input/output error")));
    }

    @Test
    void doesNotRetryAnErrorThatIsNotTransient() {
        fake.failNextReads(1, "Permission denied");

        List<Reading> readings = sensor().sample();

        assertThat(readings.get(0).quality()).isEqualTo(Quality.failed("read error after 1 attempt: Permission denied"));
        assertThat(fake.measurements()).isEqualTo(1);
    }

    @Test
    void honoursTheTwoSecondMinimumIntervalWithTheCachedGoodReading() {
        Dht22Sensor sensor = sensor();
        List<Reading> first = sensor.sample();
        celsius.set(25.0);

        clock.advance(Duration.ofMillis(1999));
        List<Reading> cached = sensor.sample();
        clock.advance(Duration.ofMillis(1));
        List<Reading> fresh = sensor.sample();

        assertThat(cached).isSameAs(first);
        assertThat(fresh.get(0).value()).isEqualTo(25.0);
        assertThat(fresh.get(0).timestamp()).isEqualTo(Instant.parse("2026-03-01T12:00:02Z"));
        assertThat(fake.measurements()).isEqualTo(2);
    }

    @Test
    void aFailureIsAlsoCachedForTheIntervalAndRecoveryFollows() {
        fake.failNextReads(3, FakeIioDht.ETIMEDOUT);
        Dht22Sensor sensor = sensor();

        List<Reading> failed = sensor.sample();
        clock.advance(Duration.ofSeconds(1));
        List<Reading> stillFailed = sensor.sample();
        clock.advance(Duration.ofSeconds(1));
        List<Reading> recovered = sensor.sample();

        assertThat(failed.get(0).quality().reason()).isEqualTo("read error after 3 attempts: Connection timed out");
        assertThat(stillFailed).isSameAs(failed);
        assertThat(recovered).extracting(Reading::quality).containsOnly(Quality.OK);
        assertThat(fake.measurements()).isEqualTo(4);
    }

    @Test
    void missingIioDeviceIsFailedAndRecoversWhenTheOverlayAppears() {
        fake.setPresent(false);
        Dht22Sensor sensor = sensor();

        List<Reading> failed = sensor.sample();
        fake.setPresent(true);
        clock.advance(Duration.ofSeconds(2));
        List<Reading> recovered = sensor.sample();

        assertThat(failed.get(0).quality()).isEqualTo(Quality.failed(
                "missing node: no dht11 IIO device under " + root.resolve("sys/bus/iio/devices")));
        assertThat(recovered).extracting(Reading::quality).containsOnly(Quality.OK);
    }

    @Test
    void configuredDeviceThatIsMissingNamesItsPath() {
        Reading reading = sensor(Dht22Config.defaults("porch").withDevice("iio:device3")).sample().get(0);

        assertThat(reading.quality()).isEqualTo(Quality.failed("missing node " + root.resolve("sys/bus/iio/devices/iio:device3")));
    }

    @Test
    void valuesOutsideTheSensorsRangeAreSuspect() {
        fake.setContent("in_humidityrelative_input", "104300\n");

        List<Reading> readings = sensor().sample();

        assertThat(readings.get(0).quality()).isEqualTo(Quality.OK);
        assertThat(readings.get(1).quality()).isEqualTo(Quality.suspect("humidity 104.3 %RH outside plausible range 0..100"));
    }

    @Test
    void unparsableContentIsFailed() {
        fake.setContent("in_temp_input", "nan\n");

        Reading reading = sensor().sample().get(0);

        assertThat(reading.quality()).isEqualTo(Quality.failed("unparsable value: in_temp_input holds 'nan'"));
    }

    @Test
    void stuckValuesAreSuspectWhenEnabled() {
        Dht22Sensor sensor = sensor(Dht22Config.defaults("porch").withStuckThreshold(2));
        sensor.sample();
        fake.setStuck(true);
        celsius.set(30.0);
        clock.advance(Duration.ofSeconds(2));

        List<Reading> stuck = sensor.sample();
        fake.setStuck(false);
        clock.advance(Duration.ofSeconds(2));
        List<Reading> recovered = sensor.sample();

        assertThat(stuck.get(0).quality()).isEqualTo(Quality.suspect("raw value unchanged for 2 samples (stuck?)"));
        assertThat(recovered.get(0).value()).isEqualTo(30.0);
        assertThat(recovered.get(0).quality()).isEqualTo(Quality.OK);
    }

    @Test
    void configRefusesAnIntervalBelowTheSensorsLimit() {
        assertThatThrownBy(() -> new Dht22Config("porch", null, 3, Duration.ZERO, Duration.ofSeconds(1), 0))
                .hasMessage("minInterval must be at least 2 s (the DHT22's limit), was PT1S");
    }
}
