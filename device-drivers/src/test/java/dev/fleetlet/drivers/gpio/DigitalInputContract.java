package dev.fleetlet.drivers.gpio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.drivers.Quality;
import dev.fleetlet.drivers.Reading;
import dev.fleetlet.drivers.i2c.ContractMode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every digital-input binding must do. The binding supplies the driver and a way to set the
 * physical level and to let time pass: on the mock, {@code MockDigitalInput.mockState} and a mutable
 * clock; on a Pi (hil-tests), a loopback output pin wired to the input and real waiting.
 * {@link ContractMode#EXACT} asserts exact edge counts; {@link ContractMode#PLAUSIBILITY} allows a
 * real switch's extra edges.
 */
public abstract class DigitalInputContract {

    /** A binding-provided environment around one input configured with a 10 ms debounce. */
    protected interface Rig extends AutoCloseable {
        DigitalInputSensor sensor();

        /** Drives the physical pin level (true = high). */
        void level(boolean high);

        /** Lets {@code d} pass for the driver. */
        void pass(Duration d);

        @Override
        void close();
    }

    /** Opens an input with pull-down, 10 ms debounce, {@code activeLow} as given, quantity {@code motion}. */
    protected abstract Rig open(boolean activeLow);

    protected abstract ContractMode mode();

    private Rig rig;

    private Rig rig(boolean activeLow) {
        rig = open(activeLow);
        return rig;
    }

    @AfterEach
    void closeRig() {
        if (rig != null) {
            rig.close();
        }
    }

    private static double value(List<Reading> readings, String quantity) {
        return readings.stream().filter(r -> r.quantity().equals(quantity)).findFirst().orElseThrow().value();
    }

    @Test
    void yieldsStateAndEdgeCountInThatOrder() {
        Rig r = rig(false);
        r.level(false);
        r.pass(Duration.ofMillis(20));

        List<Reading> readings = r.sensor().sample();

        assertThat(readings).extracting(Reading::quantity).containsExactly("motion", "edges");
        assertThat(readings).extracting(Reading::unit).containsExactly("1", "1");
        assertThat(readings).extracting(Reading::quality).containsOnly(Quality.OK);
        assertThat(value(readings, "motion")).isZero();
    }

    @Test
    void followsALevelHeldLongerThanTheDebounceTime() {
        Rig r = rig(false);
        r.level(true);
        r.pass(Duration.ofMillis(20));

        List<Reading> readings = r.sensor().sample();

        assertThat(value(readings, "motion")).isEqualTo(1.0);
        assertThat(value(readings, "edges")).isEqualTo(1.0);
    }

    @Test
    void activeLowInvertsTheLevel() {
        Rig r = rig(true);
        r.level(false);
        r.pass(Duration.ofMillis(20));

        assertThat(value(r.sensor().sample(), "motion")).isEqualTo(1.0);
    }

    @Test
    void countsEachPulseBetweenSamplesOnce() {
        Rig r = rig(false);
        for (int i = 0; i < 3; i++) {
            r.level(true);
            r.pass(Duration.ofMillis(50));
            r.level(false);
            r.pass(Duration.ofMillis(50));
        }

        List<Reading> readings = r.sensor().sample();

        assertThat(value(readings, "motion")).isZero();
        if (mode() == ContractMode.EXACT) {
            assertThat(value(readings, "edges")).isEqualTo(3.0);
        } else {
            assertThat(value(readings, "edges")).isBetween(3.0, 6.0);
        }
    }
}
