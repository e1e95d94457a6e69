package dev.fleetlet.drivers.gpio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.fleetlet.drivers.ActuatorCommand;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every digital-output binding must do. The binding opens the output on a pin and observes the
 * physical level: on the mock through Pi4J's state, on a Pi through a loopback input pin. Levels are
 * exact in both modes (a digital pin has no tolerance).
 */
public abstract class DigitalOutputContract {

    /** Opens a relay-style output; {@code safeOn} gives the safe state. */
    protected abstract DigitalOutputActuator open(boolean activeLow, boolean safeOn);

    /** The physical level now on the pin (true = high). */
    protected abstract boolean observedHigh();

    private DigitalOutputActuator output;

    private DigitalOutputActuator output(boolean activeLow, boolean safeOn) {
        output = open(activeLow, safeOn);
        return output;
    }

    @AfterEach
    void closeOutput() {
        if (output != null) {
            output.close();
        }
    }

    @Test
    void drivesTheSafeStateAtStart() {
        DigitalOutputActuator relay = output(true, false);

        assertThat(observedHigh()).as("active-low relay off = pin high").isTrue();
        assertThat(relay.state().value()).isZero();
    }

    @Test
    void onAndOffMapThroughActiveLow() {
        DigitalOutputActuator relay = output(true, false);

        relay.apply(new ActuatorCommand.On());
        assertThat(observedHigh()).isFalse();
        assertThat(relay.state().value()).isEqualTo(1.0);

        relay.apply(new ActuatorCommand.Off());
        assertThat(observedHigh()).isTrue();
    }

    @Test
    void toggleInvertsTheOutput() {
        DigitalOutputActuator led = output(false, false);

        led.apply(new ActuatorCommand.Toggle());
        assertThat(observedHigh()).isTrue();
        led.apply(new ActuatorCommand.Toggle());
        assertThat(observedHigh()).isFalse();
    }

    @Test
    void returnsToTheSafeStateAtClose() {
        DigitalOutputActuator relay = output(false, true);
        relay.apply(new ActuatorCommand.Off());
        assertThat(observedHigh()).isFalse();

        relay.close();

        assertThat(observedHigh()).as("safe state on").isTrue();
    }

    @Test
    void pulseSwitchesOffByItself() {
        DigitalOutputActuator buzzer = output(false, false);

        buzzer.apply(new ActuatorCommand.Pulse(Duration.ofMillis(50)));

        assertThat(buzzer.state().value()).isEqualTo(1.0);
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(buzzer.state().value()).isZero());
        assertThat(observedHigh()).isFalse();
    }

    @Test
    void rejectsALevelItCannotProduce() {
        DigitalOutputActuator relay = output(false, false);

        assertThatThrownBy(() -> relay.apply(new ActuatorCommand.SetLevel(0.5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("accepts on, off, toggle or pulse");
    }
}
