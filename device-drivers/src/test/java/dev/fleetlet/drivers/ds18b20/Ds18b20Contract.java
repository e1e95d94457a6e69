package dev.fleetlet.drivers.ds18b20;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.drivers.Quality;
import dev.fleetlet.drivers.Reading;
import dev.fleetlet.drivers.i2c.ContractMode;
import dev.fleetlet.drivers.i2c.Expectation;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every DS18B20 binding must show. On hardware: plausibility mode, the rig's sensor id
 * and a room-temperature range.
 */
public abstract class Ds18b20Contract {

    /** Opens the driver for {@link #deviceId()} (or, with {@code byId} false, the only sensor on the bus). */
    protected abstract Ds18b20Sensor createSensor(boolean byId);

    /** Discovery over the same bus. */
    protected abstract Ds18b20Discovery discovery();

    /** The sensor's 1-Wire id. */
    protected abstract String deviceId();

    protected abstract ContractMode mode();

    protected abstract Expectation expectation();

    @Test
    void readsOneOkTemperatureById() {
        List<Reading> readings = createSensor(true).sample();

        assertThat(readings).hasSize(1);
        assertThat(readings.get(0).quality()).isEqualTo(Quality.OK);
        expectation().check(readings.get(0), mode());
    }

    @Test
    void readsTheOnlySensorWithoutAnId() {
        Reading reading = createSensor(false).sample().get(0);

        assertThat(reading.quality()).isEqualTo(Quality.OK);
        expectation().check(reading, mode());
    }

    @Test
    void discoveryListsTheSensor() throws IOException {
        assertThat(discovery().deviceIds()).contains(deviceId());
    }

    @Test
    void consecutiveReadsAgree() {
        Ds18b20Sensor sensor = createSensor(true);

        double first = sensor.sample().get(0).value();
        double second = sensor.sample().get(0).value();

        assertThat(Math.abs(first - second)).isLessThanOrEqualTo(0.5);
    }
}
