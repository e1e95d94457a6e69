package dev.fleetlet.drivers.sht3x;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.fleetlet.drivers.Quality;
import dev.fleetlet.drivers.Reading;
import dev.fleetlet.drivers.i2c.Pause;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class Sht3xFaultsTest {

    private final AtomicReference<Double> temperature = new AtomicReference<>(20.0);
    private final FakeSht3x fake = new FakeSht3x(0x44, temperature::get, () -> 50.0);
    private final Clock clock = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

    private Sht3xSensor sensor(Sht3xConfig config) {
        return new Sht3xSensor(config, fake, clock, Pause.NONE);
    }

    @Test
    void crcOfTheDatasheetExampleIs0x92() {
        assertThat(Sht3xCrc.crc8(0xBEEF)).isEqualTo(0x92);
        assertThat(Sht3xCrc.crc8(new byte[] {(byte) 0xBE, (byte) 0xEF}, 0, 2)).isEqualTo(0x92);
    }

    @Test
    void convertsRawWordsWithTheDatasheetFormulas() {
        // raw 0x6666 = 26214 = 0.4·65535: T = -45 + 175·0.4 = 25.0 °C, RH = 100·0.4 = 40.0 %RH
        temperature.set(-45.0 + 175.0 * 0x6666 / 65535.0);
        FakeSht3x exact = new FakeSht3x(0x44, temperature::get, () -> 100.0 * 0x6666 / 65535.0);

        List<Reading> readings = new Sht3xSensor(Sht3xConfig.defaults("x"), exact, clock, Pause.NONE).sample();

        assertThat(readings.get(0).value()).isCloseTo(25.0, within(1e-9));
        assertThat(readings.get(1).value()).isCloseTo(40.0, within(1e-9));
    }

    @Test
    void sendsResetStatusClearThenHighRepeatabilityMeasurement() {
        sensor(Sht3xConfig.defaults("x")).sample();

        assertThat(fake.operations()).containsExactly("raw write 0x30 0xA2", "raw write 0xF3 0x2D", "raw read x3",
                "raw write 0x30 0x41", "raw write 0x24 0x00", "raw read x6");
    }

    @Test
    void corruptedCrcFailsWithReasonAndRecovers() {
        Sht3xSensor sensor = sensor(Sht3xConfig.defaults("x"));
        sensor.sample();
        fake.setCrcCorrupted(true);

        List<Reading> failed = sensor.sample();
        fake.setCrcCorrupted(false);
        List<Reading> recovered = sensor.sample();

        assertThat(failed).allSatisfy(r -> {
            assertThat(r.quality()).isInstanceOf(Quality.Failed.class);
            assertThat(r.quality().reason()).startsWith("CRC mismatch on temperature word 0x");
            assertThat(Double.isNaN(r.value())).isTrue();
        });
        assertThat(recovered).extracting(Reading::quality).containsOnly(Quality.OK);
    }

    @Test
    void busErrorFailsAndRecovers() {
        Sht3xSensor sensor = sensor(Sht3xConfig.defaults("x"));
        fake.failUntilCleared();

        List<Reading> failed = sensor.sample();
        fake.clearFaults();

        assertThat(failed.get(0).quality().reason()).isEqualTo("bus error: injected bus error at 0x44 (NACK)");
        assertThat(sensor.sample().get(0).value()).isCloseTo(20.0, within(0.002));
    }

    @Test
    void retriesAReadThatIsNackedWhileMeasuring() {
        fake.setNotReadyReads(2);

        List<Reading> readings = sensor(Sht3xConfig.defaults("x")).sample();

        assertThat(readings).extracting(Reading::quality).containsOnly(Quality.OK);
    }

    @Test
    void gracePeriodExhaustedMeansBusError() {
        fake.setNotReadyReads(3);

        List<Reading> readings = sensor(Sht3xConfig.defaults("x")).sample();

        assertThat(readings.get(0).quality().reason()).isEqualTo("bus error: NACK: SHT3x still measuring");
    }

    @Test
    void stuckWordsBecomeSuspectThenRecover() {
        Sht3xSensor sensor = sensor(Sht3xConfig.defaults("x").withStuckThreshold(2));
        sensor.sample();
        fake.setStuck(true);
        temperature.set(22.0);

        List<Reading> stuck = sensor.sample();
        fake.setStuck(false);
        List<Reading> recovered = sensor.sample();

        assertThat(stuck).allSatisfy(r -> assertThat(r.quality()).isEqualTo(Quality.suspect("raw value unchanged for 2 samples (stuck?)")));
        assertThat(recovered).extracting(Reading::quality).containsOnly(Quality.OK);
        assertThat(recovered.get(0).value()).isCloseTo(22.0, within(0.002));
    }

    @Test
    void temperatureBelowSensorRangeIsSuspect() {
        temperature.set(-44.0);

        Reading t = sensor(Sht3xConfig.defaults("x")).sample().get(0);

        assertThat(t.quality()).isEqualTo(Quality.suspect("temperature -44.00 Cel outside plausible range -40..125"));
    }

    @Test
    void softResetReportsBusFailureWithoutThrowing() {
        Sht3xSensor sensor = sensor(Sht3xConfig.defaults("x"));
        fake.failNextOperations(1);

        assertThat(sensor.softReset()).isFalse();
        assertThat(sensor.sample()).extracting(Reading::quality).containsOnly(Quality.OK);
    }
}
