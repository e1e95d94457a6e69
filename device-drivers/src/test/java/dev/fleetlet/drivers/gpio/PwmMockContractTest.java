package dev.fleetlet.drivers.gpio;

import com.pi4j.context.Context;
import dev.fleetlet.drivers.board.Pi4jContexts;
import dev.fleetlet.drivers.i2c.ContractMode;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;

/** The PWM contract on Pi4J's mock provider. */
class PwmMockContractTest extends PwmContract {

    private final Context context = Pi4jContexts.simulated();
    private PwmActuator current;

    @Override
    protected PwmActuator open(PwmActuator.Settings settings) {
        current = new PwmActuator(settings, context, Clock.systemUTC(), null);
        return current;
    }

    @Override
    protected double observedDutyPercent() {
        return current.dutyPercent();
    }

    @Override
    protected ContractMode mode() {
        return ContractMode.EXACT;
    }

    @AfterEach
    void shutdown() {
        context.shutdown();
    }
}
