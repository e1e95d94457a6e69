package dev.fleetlet.drivers.gpio;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalState;
import dev.fleetlet.drivers.board.Pi4jContexts;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;

/** The digital-output contract on Pi4J's mock provider. */
class DigitalOutputMockContractTest extends DigitalOutputContract {

    private final Context context = Pi4jContexts.simulated();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private DigitalOutputActuator current;

    @Override
    protected DigitalOutputActuator open(boolean activeLow, boolean safeOn) {
        current = new DigitalOutputActuator("relay", 27, activeLow, safeOn, context, Clock.systemUTC(), timers);
        return current;
    }

    @Override
    protected boolean observedHigh() {
        return current.pinLevel() == DigitalState.HIGH;
    }

    @AfterEach
    void shutdown() {
        timers.shutdownNow();
        context.shutdown();
    }
}
