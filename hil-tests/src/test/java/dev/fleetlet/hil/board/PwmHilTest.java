package dev.fleetlet.hil.board;

import dev.fleetlet.drivers.board.BoardDetector;
import dev.fleetlet.drivers.config.ActuatorSpec;
import dev.fleetlet.drivers.gpio.PwmActuator;
import dev.fleetlet.drivers.gpio.PwmContract;
import dev.fleetlet.drivers.i2c.ContractMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The PWM contract on real hardware PWM through Pi4J's linuxfs provider, observed in sysfs.
 *
 * <p>Wiring: the {@code fan} entry (GPIO18, pin 12, PWM channel 0 in the example) drives a 4-pin fan's
 * PWM input or just an LED with a resistor; nothing has to be read back electrically because the duty
 * cycle is read from {@code /sys/class/pwm/pwmchipN/pwmC/duty_cycle} and {@code period} (pwmchip0, or
 * pwmchip2 on a Pi 5). Needs {@code dtoverlay=pwm,pin=18,func=2} (or {@code pwm-2chan}). The contract's
 * settings are used with the channel of the configured pin. Tolerance in plausibility mode: 3 % duty.
 *
 * <p>Known limit: Pi4J 2.8's linuxfs PWM unexports the channel on shutdown, and the driver releases the
 * channel in {@code close()}, so the contract's "safe level after close" step finds no sysfs node and
 * fails with that reason; reading the level electrically (RC filter into an ADS1115 input) would be the
 * alternative.
 * Needs {@code -Dfleetlet.hil.board=pi}; fails without it.
 */
class PwmHilTest extends PwmContract {

    @RegisterExtension
    static final HilBoardExtension hil = new HilBoardExtension();
    private PwmActuator current;

    @AfterEach
    void forgetClosedDevices() {
        current = null;
    }

    /** The channel of the configured fan pin: {@code options.channel}, else 12/18 to 0 and 13/19 to 1. */
    static int channelOf(ActuatorSpec fan) {
        String explicit = fan.options().get("channel");
        if (explicit != null) {
            return Integer.parseInt(explicit.trim());
        }
        return switch (fan.pin()) {
            case 12, 18 -> 0;
            case 13, 19 -> 1;
            default -> throw Assertions.<AssertionError>fail(fan.keyPath()
                    + ".pin: expected a hardware PWM pin (12, 13, 18, 19) or options.channel, got " + fan.pin());
        };
    }

    @Override
    protected PwmActuator open(PwmActuator.Settings s) {
        int channel = channelOf(hil.board().actuatorNamed("fan"));
        current = hil.board().track(new PwmActuator(new PwmActuator.Settings(s.name(), channel, s.frequency(), s.inverted(),
                s.safeLevel(), s.onLevel(), s.minLevel()), hil.board().pi4j(), Clock.systemUTC(), null));
        return current;
    }

    @Override
    protected double observedDutyPercent() {
        Path root = hil.board().config().root();
        int chip = new BoardDetector(root).detect().usesRp1() ? 2 : 0;
        Path dir = root.resolve("sys/class/pwm/pwmchip" + chip + "/pwm" + channelOf(hil.board().actuatorNamed("fan")));
        if (!Files.isDirectory(dir)) {
            // Pi4J's linuxfs PWM unexports the channel when the driver releases it at close, so the level
            // "after close" has no sysfs node to read; say so instead of inventing a duty cycle.
            throw Assertions.<AssertionError>fail("cannot observe the PWM duty cycle: " + dir + " does not exist"
                    + " (channel not exported, or unexported by Pi4J's linuxfs provider when the driver closed it)");
        }
        try {
            double duty = Double.parseDouble(Files.readString(dir.resolve("duty_cycle")).trim());
            double period = Double.parseDouble(Files.readString(dir.resolve("period")).trim());
            return 100.0 * duty / period;
        } catch (IOException | NumberFormatException e) {
            throw Assertions.<AssertionError>fail("cannot read the PWM duty cycle under " + dir + ": " + e, e);
        }
    }

    @Override
    protected ContractMode mode() {
        return ContractMode.PLAUSIBILITY;
    }
}
