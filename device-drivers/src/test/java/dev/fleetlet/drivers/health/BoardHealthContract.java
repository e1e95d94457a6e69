package dev.fleetlet.drivers.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.drivers.Quality;
import dev.fleetlet.drivers.Reading;
import dev.fleetlet.drivers.i2c.ContractMode;
import dev.fleetlet.drivers.i2c.Expectation;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the board-health driver must report. On a fake tree the values are exact; on a Pi (hil-tests,
 * root {@code /}) each must lie in a plausible range.
 */
public abstract class BoardHealthContract {

    protected abstract BoardHealthSensor sensor();

    protected abstract ContractMode mode();

    /** One expectation per reading, in reading order. */
    protected abstract List<Expectation> expectations();

    @Test
    void yieldsEveryQuantityInAStableOrder() {
        List<String> expected = expectations().stream().map(Expectation::quantity).toList();

        assertThat(sensor().sample()).extracting(Reading::quantity).containsExactlyElementsOf(expected);
        assertThat(sensor().sample()).extracting(Reading::quantity).containsExactlyElementsOf(expected);
    }

    @Test
    void readingsAreOkAndMatchTheExpectations() {
        List<Reading> readings = sensor().sample();

        for (int i = 0; i < readings.size(); i++) {
            Reading r = readings.get(i);
            assertThat(r.quality()).as("quality of %s", r.quantity()).isEqualTo(Quality.OK);
            expectations().get(i).check(r, mode());
        }
    }
}
