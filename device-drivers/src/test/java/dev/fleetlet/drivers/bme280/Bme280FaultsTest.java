package dev.fleetlet.drivers.bme280;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.fleetlet.drivers.Quality;
import dev.fleetlet.drivers.Reading;
import dev.fleetlet.drivers.i2c.I2cDevice;
import dev.fleetlet.drivers.i2c.Pause;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class Bme280FaultsTest {

    private final AtomicReference<Double> temperature = new AtomicReference<>(20.0);
    private final FakeBme280 fake = FakeBme280.of(Bme280Config.Variant.BME280, temperature::get, () -> 100_000.0, () -> 50.0);
    private final Clock clock = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

    private Bme280Sensor sensor(Bme280Config config) {
        return new Bme280Sensor(config, fake, clock, Pause.NONE);
    }

    private Bme280Sensor sensor() {
        return sensor(Bme280Config.defaults("greenhouse", Bme280Config.Variant.BME280));
    }

    @Test
    void busErrorFailsEveryQuantityAndRecoversOnTheNextSample() {
        Bme280Sensor sensor = sensor();
        sensor.sample();
        fake.failNextOperations(1);

        List<Reading> failed = sensor.sample();
        List<Reading> recovered = sensor.sample();

        assertThat(failed).hasSize(3).allSatisfy(r -> {
            assertThat(r.quality()).isInstanceOf(Quality.Failed.class);
            assertThat(r.quality().reason()).startsWith("bus error").contains("NACK");
            assertThat(Double.isNaN(r.value())).isTrue();
            assertThat(r.timestamp()).isEqualTo(clock.instant());
        });
        assertThat(recovered).extracting(Reading::quality).containsOnly(Quality.OK);
        assertThat(recovered.get(0).value()).isCloseTo(20.0, within(0.01));
    }

    @Test
    void persistentBusErrorKeepsFailingUntilCleared() {
        Bme280Sensor sensor = sensor();
        fake.failUntilCleared();

        for (int i = 0; i < 3; i++) {
            assertThat(sensor.sample()).extracting(r -> r.quality().code()).containsOnly("failed");
        }
        fake.clearFaults();

        assertThat(sensor.sample()).extracting(Reading::quality).containsOnly(Quality.OK);
    }

    @Test
    void wrongChipIdFailsWithBothIdsInTheReason() {
        fake.overrideRegister(0xD0, 0x58);
        Bme280Sensor sensor = sensor();

        List<Reading> readings = sensor.sample();

        assertThat(readings).allSatisfy(r ->
                assertThat(r.quality()).isEqualTo(Quality.failed("wrong chip id 0x58 at 0x76, expected 0x60 (BME280)")));
        fake.clearFaults();
        assertThat(sensor.sample()).extracting(Reading::quality).containsOnly(Quality.OK);
    }

    @Test
    void stuckRawValueBecomesSuspectAfterThresholdAndRecovers() {
        Bme280Sensor sensor = sensor(Bme280Config.defaults("greenhouse", Bme280Config.Variant.BME280).withStuckThreshold(3));
        temperature.set(20.0);
        sensor.sample();
        fake.setStuck(true);
        temperature.set(21.0);

        List<Reading> second = sensor.sample();
        List<Reading> third = sensor.sample();

        assertThat(second).extracting(Reading::quality).containsOnly(Quality.OK);
        assertThat(third).allSatisfy(r -> {
            assertThat(r.quality()).isInstanceOf(Quality.Suspect.class);
            assertThat(r.quality().reason()).contains("unchanged for 3 samples");
        });
        fake.setStuck(false);
        List<Reading> recovered = sensor.sample();
        assertThat(recovered).extracting(Reading::quality).containsOnly(Quality.OK);
        assertThat(recovered.get(0).value()).isCloseTo(21.0, within(0.01));
    }

    @Test
    void temperatureOutsideOperatingRangeIsSuspect() {
        temperature.set(90.0);

        Reading t = sensor().sample().get(0);

        assertThat(t.value()).isCloseTo(90.0, within(0.01));
        assertThat(t.quality()).isEqualTo(Quality.suspect("temperature 90.00 Cel outside plausible range -40..85"));
    }

    @Test
    void conversionThatNeverFinishesFailsWithTimeout() {
        fake.setMeasuringPolls(10_000);

        List<Reading> readings = sensor().sample();

        assertThat(readings.get(0).quality().reason()).startsWith("conversion did not complete within");
    }

    @Test
    void erasedCalibrationFails() {
        fake.overrideRegister(0x88, 0);
        fake.overrideRegister(0x89, 0);

        List<Reading> readings = sensor().sample();

        assertThat(readings.get(0).quality().reason()).isEqualTo("calibration data invalid (dig_T1=0, dig_P1=36477)");
    }

    @Test
    void writesCtrlHumBeforeCtrlMeasSoHumidityOversamplingTakesEffect() {
        sensor().sample();

        List<String> writes = fake.operations().stream().filter(op -> op.startsWith("write 0xF")).toList();
        // config 0xF5, ctrl_hum 0xF2 = x1, then ctrl_meas 0xF4 = osrs_t x1 | osrs_p x1 | forced = 0x25
        assertThat(writes).containsExactly("write 0xF5 0xA0", "write 0xF2 0x01", "write 0xF4 0x25");
    }

    @Test
    void skippedPressureIsLeftOutOfTheReadings() {
        Bme280Config config = Bme280Config.defaults("greenhouse", Bme280Config.Variant.BME280)
                .withOversampling(Bme280Config.Oversampling.X2, Bme280Config.Oversampling.SKIP, Bme280Config.Oversampling.X4);

        List<Reading> readings = sensor(config).sample();

        assertThat(readings).extracting(Reading::quantity).containsExactly("temperature", "humidity");
        assertThat(readings).extracting(Reading::quality).containsOnly(Quality.OK);
    }

    @Test
    void unexpectedRuntimeExceptionNeverEscapesSample() {
        I2cDevice broken = new I2cDevice() {
            public int address() { return 0x76; }
            public int readRegister(int register) { throw new IllegalStateException("driver bug"); }
            public void writeRegister(int register, int value) { }
            public void readBlock(int register, byte[] buffer) { }
            public void writeBlock(int register, byte[] data) { }
            public void write(byte[] data) { }
            public void read(byte[] buffer) { }
            public void close() { }
        };
        Bme280Sensor sensor = new Bme280Sensor(Bme280Config.defaults("x", Bme280Config.Variant.BME280), broken, clock, Pause.NONE);

        List<Reading> readings = sensor.sample();

        assertThat(readings.get(0).quality().reason()).contains("driver bug");
    }

    @Test
    void configRejectsAddressOutsideTheChipsTwoAddresses() {
        assertThatThrownBy(() -> Bme280Config.defaults("x", Bme280Config.Variant.BME280).withAddress(0x48))
                .hasMessage("address must be 0x76 or 0x77, was 0x48");
    }

    @Test
    void fakeRefusesRawCommands() {
        assertThatThrownBy(() -> fake.write(new byte[] {1})).isInstanceOf(IOException.class);
    }
}
