package dev.fleetlet.drivers.sht3x;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.drivers.Quality;
import dev.fleetlet.drivers.Reading;
import dev.fleetlet.drivers.i2c.ContractMode;
import dev.fleetlet.drivers.i2c.Expectation;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every SHT3x binding must show: temperature then humidity, ok, as expected. */
public abstract class Sht3xContract {

    protected Sht3xSensor sensor;

    protected abstract Sht3xSensor createSensor();

    protected abstract ContractMode mode();

    /** Temperature and humidity expectations. */
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
    void yieldsTemperatureThenHumidityOk() {
        for (int round = 0; round < 3; round++) {
            List<Reading> readings = sensor.sample();

            assertThat(readings).extracting(Reading::quantity).containsExactly("temperature", "humidity");
            assertThat(readings).extracting(Reading::quality).containsOnly(Quality.OK);
            expectations().get(0).check(readings.get(0), mode());
            expectations().get(1).check(readings.get(1), mode());
        }
    }

    @Test
    void readsAStatusWordWithValidCrcOnStart() {
        sensor.sample();

        assertThat(sensor.lastStatus()).isBetween(0, 0xFFFF);
    }

    @Test
    void softResetKeepsTheSensorWorking() {
        sensor.sample();

        assertThat(sensor.softReset()).isTrue();
        assertThat(sensor.sample()).extracting(Reading::quality).containsOnly(Quality.OK);
    }
}
