package dev.fleetlet.hil.board;

import com.pi4j.context.Context;
import dev.fleetlet.drivers.Reading;
import dev.fleetlet.drivers.gpio.DigitalInputSensor;
import dev.fleetlet.drivers.gpio.DigitalOutputActuator;
import dev.fleetlet.drivers.gpio.DigitalOutputContract;
import dev.fleetlet.drivers.Quality;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The digital-output contract on real GPIO through Pi4J's gpiod provider, observed on a loopback jig.
 *
 * <p>Wiring (HIL jig): the {@code led} output pin (GPIO27, pin 13 in the example; the LED with its own
 * resistor may stay connected) is looped back to the {@code button} input pin (GPIO17, pin 11) through a
 * 1 kΩ series resistor. The physical level is read on the input pin with pull-down and no debounce, so
 * it is the pin's real level, not the driver's idea of it. Needs {@code -Dfleetlet.hil.board=pi}; fails
 * without it.
 */
class DigitalOutputHilTest extends DigitalOutputContract {

    @RegisterExtension
    static final HilBoardExtension hil = new HilBoardExtension();
    private DigitalInputSensor observer;

    @AfterEach
    void forgetClosedDevices() {
        observer = null;
    }

    @Override
    protected DigitalOutputActuator open(boolean activeLow, boolean safeOn) {
        Context context = hil.board().pi4j();
        Clock clock = Clock.systemUTC();
        observer = hil.board().track(new DigitalInputSensor(new DigitalInputSensor.Settings("hil-observer",
                hil.board().loopbackInputPin(), DigitalInputSensor.Pull.DOWN, Duration.ZERO, false, "level"), context, clock));
        return hil.board().track(new DigitalOutputActuator("hil-output", hil.board().loopbackOutputPin(), activeLow, safeOn, context,
                clock, hil.board().timers()));
    }

    @Override
    protected boolean observedHigh() {
        Reading level = observer.sample().get(0);
        if (level.quality() != Quality.OK) {
            throw Assertions.<AssertionError>fail("cannot read the loopback input GPIO" + hil.board().loopbackInputPin() + ": "
                    + level);
        }
        return level.value() == 1.0;
    }
}
