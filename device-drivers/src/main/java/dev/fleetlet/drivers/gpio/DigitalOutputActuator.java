package dev.fleetlet.drivers.gpio;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import dev.fleetlet.drivers.Actuator;
import dev.fleetlet.drivers.ActuatorCommand;
import dev.fleetlet.drivers.Reading;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A digital output (relay, LED, buzzer) driven through Pi4J.
 *
 * <p>Logical state {@code on}/{@code off} is mapped to the pin level through {@code activeLow} (most
 * relay boards switch on a low level). The safe state is driven when the output is opened, is
 * registered with Pi4J as the shutdown state (applied by Pi4J's shutdown hook on a real board), and is
 * driven again by {@link #close()}. Accepts {@code On}, {@code Off}, {@code Toggle} and
 * {@code Pulse(duration)} (on, then off after the duration on the shared scheduler; any later command
 * cancels a pending pulse end); {@code SetLevel} is rejected.
 */
public final class DigitalOutputActuator implements Actuator {

    private final String name;
    private final boolean activeLow;
    private final boolean safeOn;
    private final Context context;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final DigitalOutput output;
    private boolean on;
    private ScheduledFuture<?> pulseEnd;
    private boolean closed;

    /**
     * @param scheduler used for the end of a pulse; may be {@code null}, then {@code Pulse} is rejected
     */
    public DigitalOutputActuator(String name, int pin, boolean activeLow, boolean safeOn, Context context,
                                 Clock clock, ScheduledExecutorService scheduler) {
        this.name = name;
        this.activeLow = activeLow;
        this.safeOn = safeOn;
        this.context = context;
        this.clock = clock;
        this.scheduler = scheduler;
        DigitalState safeLevel = level(safeOn);
        this.output = context.create(DigitalOutput.newConfigBuilder(context)
                .id("dout-" + name)
                .name(name)
                .address(pin)
                .initial(safeLevel)
                .shutdown(safeLevel)
                .onState(level(true)));
        output.state(safeLevel);
        this.on = safeOn;
    }

    private DigitalState level(boolean logicalOn) {
        return logicalOn != activeLow ? DigitalState.HIGH : DigitalState.LOW;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized void apply(ActuatorCommand command) {
        if (closed) {
            throw new IllegalStateException("actuator " + name + " is closed");
        }
        if (command instanceof ActuatorCommand.On) {
            cancelPulse();
            drive(true);
        } else if (command instanceof ActuatorCommand.Off) {
            cancelPulse();
            drive(false);
        } else if (command instanceof ActuatorCommand.Toggle) {
            cancelPulse();
            drive(!on);
        } else if (command instanceof ActuatorCommand.Pulse pulse) {
            if (scheduler == null || pulse.duration().isNegative() || pulse.duration().isZero()) {
                throw new IllegalArgumentException("pulse on " + name + " needs a positive duration and a scheduler, got "
                        + pulse.duration());
            }
            cancelPulse();
            drive(true);
            pulseEnd = scheduler.schedule(this::endPulse, pulse.duration().toNanos(), TimeUnit.NANOSECONDS);
        } else {
            throw new IllegalArgumentException("digital output " + name
                    + " accepts on, off, toggle or pulse, got " + command);
        }
    }

    private synchronized void endPulse() {
        if (!closed) {
            pulseEnd = null;
            drive(false);
        }
    }

    private void cancelPulse() {
        if (pulseEnd != null) {
            pulseEnd.cancel(false);
            pulseEnd = null;
        }
    }

    private void drive(boolean logicalOn) {
        output.state(level(logicalOn));
        on = logicalOn;
    }

    /** The physical pin level currently driven, as Pi4J reports it. */
    public synchronized DigitalState pinLevel() {
        return output.state();
    }

    @Override
    public synchronized Reading state() {
        return Reading.ok(name, "state", "1", on ? 1.0 : 0.0, clock.instant());
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        cancelPulse();
        try {
            drive(safeOn);
        } finally {
            Pins.release(context, output.id());
        }
    }
}
