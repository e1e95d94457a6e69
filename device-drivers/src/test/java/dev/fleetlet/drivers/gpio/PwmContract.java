package dev.fleetlet.drivers.gpio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.fleetlet.drivers.ActuatorCommand;
import dev.fleetlet.drivers.i2c.ContractMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every PWM binding must do. The binding observes the duty cycle in percent: on the mock from
 * Pi4J's stored duty, on a Pi from the pwmchip's {@code duty_cycle}/{@code period} files (or an RC filter
 * on an ADC, hence the tolerance in {@link ContractMode#PLAUSIBILITY}).
 */
public abstract class PwmContract {

    protected abstract PwmActuator open(PwmActuator.Settings settings);

    /** The duty cycle now on the pin, percent. */
    protected abstract double observedDutyPercent();

    protected abstract ContractMode mode();

    private PwmActuator pwm;

    private PwmActuator pwm(boolean inverted, double safe, double minLevel) {
        pwm = open(new PwmActuator.Settings("fan", 0, 25_000, inverted, safe, 1.0, minLevel));
        return pwm;
    }

    private void assertDuty(double expectedPercent) {
        double tolerance = mode() == ContractMode.EXACT ? 0.001 : 3.0;
        assertThat(observedDutyPercent()).isCloseTo(expectedPercent, within(tolerance));
    }

    @AfterEach
    void closePwm() {
        if (pwm != null) {
            pwm.close();
        }
    }

    @Test
    void startsAtTheSafeLevel() {
        pwm(false, 0.3, 0.0);

        assertDuty(30.0);
        assertThat(pwm.state().value()).isEqualTo(0.3);
    }

    @Test
    void setLevelSetsTheDutyCycle() {
        PwmActuator fan = pwm(false, 0.0, 0.0);

        fan.apply(new ActuatorCommand.SetLevel(0.42));

        assertDuty(42.0);
        assertThat(fan.state().quantity()).isEqualTo("level");
        assertThat(fan.state().value()).isEqualTo(0.42);
    }

    @Test
    void invertedOutputDrivesTheComplement() {
        PwmActuator fan = pwm(true, 0.0, 0.0);
        assertDuty(100.0);

        fan.apply(new ActuatorCommand.SetLevel(0.25));

        assertDuty(75.0);
    }

    @Test
    void raisesSmallNonZeroLevelsToTheMinimumButHonoursOff() {
        PwmActuator fan = pwm(false, 0.0, 0.2);

        fan.apply(new ActuatorCommand.SetLevel(0.05));
        assertDuty(20.0);

        fan.apply(new ActuatorCommand.Off());
        assertDuty(0.0);
    }

    @Test
    void onToggleAndCloseUseOnAndSafeLevels() {
        PwmActuator fan = pwm(false, 0.1, 0.0);

        fan.apply(new ActuatorCommand.On());
        assertDuty(100.0);
        fan.apply(new ActuatorCommand.Toggle());
        assertDuty(0.0);

        fan.close();
        assertDuty(10.0);
    }
}
