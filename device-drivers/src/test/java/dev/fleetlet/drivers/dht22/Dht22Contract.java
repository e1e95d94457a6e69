package dev.fleetlet.drivers.dht22;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.drivers.Reading;
import dev.fleetlet.drivers.i2c.ContractMode;
import dev.fleetlet.drivers.i2c.Expectation;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every DHT22 binding must show. On hardware (plausibility mode) the kernel may fail a
 * read now and then; the driver's retries must hide that within a few samples.
 */
public abstract class Dht22Contract {

    protected abstract Dht22Sensor createSensor();

    protected abstract ContractMode mode();

    /** Temperature and humidity expectations. */
    protected abstract List<Expectation> expectations();

    @Test
    void yieldsTemperatureThenHumidityAsExpected() {
        List<Reading> readings = createSensor().sample();

        assertThat(readings).extracting(Reading::quantity).containsExactly("temperature", "humidity");
        assertThat(readings).extracting(r -> r.quality().code()).containsOnly("ok");
        expectations().get(0).check(readings.get(0), mode());
        expectations().get(1).check(readings.get(1), mode());
    }

    @Test
    void aSecondSampleWithinTwoSecondsReturnsTheSameReadings() {
        Dht22Sensor sensor = createSensor();

        List<Reading> first = sensor.sample();
        List<Reading> second = sensor.sample();

        assertThat(second).isEqualTo(first);
    }
}
