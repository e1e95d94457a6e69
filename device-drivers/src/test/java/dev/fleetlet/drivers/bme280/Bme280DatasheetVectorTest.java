package dev.fleetlet.drivers.bme280;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.fleetlet.drivers.Quality;
import dev.fleetlet.drivers.Reading;
import dev.fleetlet.drivers.i2c.Pause;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The BMP280 datasheet's worked example (section 3.12), through register bytes. */
class Bme280DatasheetVectorTest {

    private static final Bme280Calibration DATASHEET = new Bme280Calibration(
            27504, 26435, -1000, 36477, -10685, 3024, 2855, 140, -7, 15500, -14600, 6000,
            0, 0, 0, 0, 0, 0);

    @Test
    void reproducesTheDatasheetExampleThroughTheChipRegisters() {
        // given a BMP280 whose NVM holds the datasheet trimming values and whose ADC reads the example
        FakeBme280 fake = new FakeBme280(0x77, Bme280Config.Variant.BMP280, DATASHEET, () -> 0, () -> 0, () -> 0);
        fake.setRawAdc(519_888, 415_148, 0);
        Bme280Sensor sensor = new Bme280Sensor(Bme280Config.defaults("vector", Bme280Config.Variant.BMP280).withAddress(0x77),
                fake, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), Pause.NONE);

        // when
        List<Reading> readings = sensor.sample();

        // then: 25.08 °C (t_fine 128422) and 100653.27 Pa
        assertThat(readings).extracting(Reading::quality).containsOnly(Quality.OK);
        assertThat(readings.get(0).value()).isCloseTo(25.08, within(0.005));
        assertThat(readings.get(1).value()).isCloseTo(100_653.27, within(0.005));
        assertThat((int) Bme280Compensation.temperature(sensor.calibration(), 519_888).tFine()).isEqualTo(128_422);
        assertThat(sensor.calibration()).isEqualTo(DATASHEET);
    }

    @Test
    void datasheetRawBytesDecodeToTheCalibrationWords() {
        // 27504 = 0x6B70 little-endian at 0x88, -1000 = 0xFC18 at 0x8C, 36477 = 0x8E7D at 0x8E
        byte[] tp = DATASHEET.encodeTp();

        assertThat(tp[0] & 0xFF).isEqualTo(0x70);
        assertThat(tp[1] & 0xFF).isEqualTo(0x6B);
        assertThat(tp[4] & 0xFF).isEqualTo(0x18);
        assertThat(tp[5] & 0xFF).isEqualTo(0xFC);
        assertThat(tp[6] & 0xFF).isEqualTo(0x7D);
        assertThat(tp[7] & 0xFF).isEqualTo(0x8E);
        assertThat(Bme280Calibration.decode(tp, null)).isEqualTo(DATASHEET);
    }

    @Test
    void humidityNibblePackingRoundTripsNegativeValues() {
        Bme280Calibration c = new Bme280Calibration(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 75, -362, 12, -313, -50, -30);

        Bme280Calibration back = Bme280Calibration.decode(c.encodeTp(), c.encodeH());

        assertThat(back).isEqualTo(c);
    }
}
