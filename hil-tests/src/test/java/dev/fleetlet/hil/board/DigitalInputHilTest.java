package dev.fleetlet.hil.board;

import com.pi4j.context.Context;
import dev.fleetlet.drivers.ActuatorCommand;
import dev.fleetlet.drivers.gpio.DigitalInputContract;
import dev.fleetlet.drivers.gpio.DigitalInputSensor;
import dev.fleetlet.drivers.gpio.DigitalOutputActuator;
import dev.fleetlet.drivers.i2c.ContractMode;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The digital-input contract on real GPIO through Pi4J's gpiod provider, on a loopback jig.
 *
 * <p>Wiring (HIL jig): the {@code led} output pin (GPIO27, pin 13 in the example) is looped back to the
 * {@code button} input pin (GPIO17, pin 11) through a 1 kΩ series resistor; the button itself (to 3V3)
 * must stay released during the run. The test drives the input's level with a
 * {@link DigitalOutputActuator} on the output pin and lets real time pass, so the driver sees real
 * gpiod edge events; in plausibility mode a pulse may count one extra edge. Needs
 * {@code -Dfleetlet.hil.board=pi}; fails without it.
 */
class DigitalInputHilTest extends DigitalInputContract {

    @RegisterExtension
    static final HilBoardExtension hil = new HilBoardExtension();

    /** The input under test plus the loopback output that drives it. */
    private static final class LoopbackRig implements Rig {
        private final DigitalInputSensor sensor;
        private final DigitalOutputActuator drive;

        LoopbackRig(boolean activeLow) {
            Context context = hil.board().pi4j();
            Clock clock = Clock.systemUTC();
            drive = hil.board().track(new DigitalOutputActuator("hil-loopback", hil.board().loopbackOutputPin(), false, false,
                    context, clock, hil.board().timers()));
            sensor = hil.board().track(new DigitalInputSensor(new DigitalInputSensor.Settings("hil-input", hil.board().loopbackInputPin(),
                    DigitalInputSensor.Pull.DOWN, Duration.ofMillis(10), activeLow, "motion"), context, clock));
        }

        @Override
        public DigitalInputSensor sensor() {
            return sensor;
        }

        @Override
        public void level(boolean high) {
            drive.apply(high ? new ActuatorCommand.On() : new ActuatorCommand.Off());
        }

        @Override
        public void pass(Duration d) {
            // real time has to pass for the driver's debounce; this is the hardware analogue of advancing a clock
            try {
                Thread.sleep(d.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while letting " + d + " pass", e);
            }
        }

        @Override
        public void close() {
            hil.board().close();
        }
    }

    @Override
    protected Rig open(boolean activeLow) {
        return new LoopbackRig(activeLow);
    }

    @Override
    protected ContractMode mode() {
        return ContractMode.PLAUSIBILITY;
    }
}
