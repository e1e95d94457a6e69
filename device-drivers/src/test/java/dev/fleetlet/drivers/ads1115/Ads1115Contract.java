package dev.fleetlet.drivers.ads1115;

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
 * The behaviour every ADS1115 binding must show: one reading per configured channel, in order, with
 * the expected value. A hardware binding wires a known reference (divider) and picks plausibility mode.
 */
public abstract class Ads1115Contract {

    protected Ads1115Sensor sensor;

    protected abstract Ads1115Sensor createSensor();

    protected abstract ContractMode mode();

    /** One expectation per configured channel, in channel order. */
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
    void yieldsOneReadingPerChannelInConfiguredOrder() {
        List<Reading> readings = sensor.sample();

        assertThat(readings).extracting(Reading::quantity)
                .containsExactlyElementsOf(expectations().stream().map(Expectation::quantity).toList());
    }

    @Test
    void readingsAreOkAndMatchTheExpectation() {
        for (int round = 0; round < 3; round++) {
            List<Reading> readings = sensor.sample();
            for (int i = 0; i < readings.size(); i++) {
                assertThat(readings.get(i).quality()).as("quality of %s", readings.get(i).quantity()).isEqualTo(Quality.OK);
                expectations().get(i).check(readings.get(i), mode());
            }
        }
    }

    @Test
    void closeIsIdempotent() {
        sensor.close();
        sensor.close();
    }
}
