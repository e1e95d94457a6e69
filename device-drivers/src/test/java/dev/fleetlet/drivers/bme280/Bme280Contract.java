package dev.fleetlet.drivers.bme280;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.drivers.Quality;
import dev.fleetlet.drivers.Reading;
import dev.fleetlet.drivers.i2c.ContractMode;
import dev.fleetlet.drivers.i2c.Expectation;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every BME280/BMP280 binding must show. A fake binding asserts {@link ContractMode#EXACT}
 * values; a hardware binding (hil-tests) picks {@link ContractMode#PLAUSIBILITY} and gives ranges.
 */
public abstract class Bme280Contract {

    protected Bme280Sensor sensor;

    /** Opens the driver under test (fake-backed or on real hardware). */
    protected abstract Bme280Sensor createSensor();

    /** How values are judged. */
    protected abstract ContractMode mode();

    /** Temperature, pressure and (BME280) humidity expectations, in reading order. */
    protected abstract List<Expectation> expectations();

    @BeforeEach
    void openSensor() {
        sensor = createSensor();
    }

    @AfterEach
    void closeSensor() {
        sensor.close();
    }

    @Test
    void yieldsOneReadingPerQuantityInStableOrder() {
        List<Reading> first = sensor.sample();
        List<Reading> second = sensor.sample();

        List<String> expected = expectations().stream().map(Expectation::quantity).toList();
        assertThat(first).extracting(Reading::quantity).containsExactlyElementsOf(expected);
        assertThat(second).extracting(Reading::quantity).containsExactlyElementsOf(expected);
    }

    @Test
    void readingsAreOkAndMatchTheExpectation() {
        List<Reading> readings = sensor.sample();

        assertThat(readings).hasSameSizeAs(expectations());
        for (int i = 0; i < readings.size(); i++) {
            assertThat(readings.get(i).quality()).as("quality of %s", readings.get(i).quantity()).isEqualTo(Quality.OK);
            assertThat(readings.get(i).sensor()).isEqualTo(sensor.name());
            expectations().get(i).check(readings.get(i), mode());
        }
    }

    @Test
    void consecutiveSamplesAgreeWithinNoise() {
        List<Reading> first = sensor.sample();
        List<Reading> second = sensor.sample();

        double[] maxDelta = {0.5, 50.0, 3.0};
        for (int i = 0; i < first.size(); i++) {
            assertThat(Math.abs(first.get(i).value() - second.get(i).value()))
                    .as("change of %s between samples", first.get(i).quantity())
                    .isLessThanOrEqualTo(maxDelta[i]);
        }
    }

    @Test
    void readsAValidCalibration() {
        sensor.sample();

        assertThat(sensor.calibration()).isNotNull();
        assertThat(sensor.calibration().plausible()).isTrue();
    }

    @Test
    void closeIsIdempotent() {
        sensor.sample();
        sensor.close();
        sensor.close();
    }
}
