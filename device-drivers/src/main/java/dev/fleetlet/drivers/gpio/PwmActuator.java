package dev.fleetlet.drivers.gpio;

import com.pi4j.context.Context;
import com.pi4j.io.pwm.Pwm;
import com.pi4j.io.pwm.PwmType;
import dev.fleetlet.drivers.Actuator;
import dev.fleetlet.drivers.ActuatorCommand;
import dev.fleetlet.drivers.Reading;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A hardware PWM output (fan, LED dimmer) driven through Pi4J.
 *
 * <p>The level is a duty cycle 0.0..1.0; {@code inverted} outputs {@code 1 - level} (for drivers that
 * switch the load on a low level). {@code On} sets {@code onLevel}, {@code Off} sets 0, {@code Toggle}
 * switches between them, {@code SetLevel(x)} sets x, {@code Pulse(d)} sets {@code onLevel} and returns
 * to 0 after d. A non-zero level below {@code minLevel} is raised to it (many fans stall below ~20 %).
 * The safe level is driven at open and at {@link #close()}.
 *
 * <p>Settings: {@code channel} is the PWM channel of the chip (GPIO18 = channel 0 on a Pi 3/4).
 */
public final class PwmActuator implements Actuator {

    /**
     * @param name      actuator name
     * @param channel   PWM channel number of the pwmchip (Pi4J address)
     * @param frequency PWM frequency in Hz
     * @param inverted  output {@code 1 - level}
     * @param safeLevel level at open and close
     * @param onLevel   level applied by {@code On}
     * @param minLevel  smallest non-zero level (0 = no minimum)
     */
    public record Settings(String name, int channel, int frequency, boolean inverted, double safeLevel,
                           double onLevel, double minLevel) {
    }

    private final Settings settings;
    private final Context context;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Pwm pwm;
    private double level;
    private ScheduledFuture<?> pulseEnd;
    private boolean closed;

    public PwmActuator(Settings settings, Context context, Clock clock, ScheduledExecutorService scheduler) {
        this.settings = settings;
        this.context = context;
        this.clock = clock;
        this.scheduler = scheduler;
        double safeDuty = duty(settings.safeLevel());
        this.pwm = context.create(Pwm.newConfigBuilder(context)
                .id("pwm-" + settings.name())
                .name(settings.name())
                .address(settings.channel())
                .pwmType(PwmType.HARDWARE)
                .frequency(settings.frequency())
                .initial(safeDuty)
                .shutdown(safeDuty));
        drive(settings.safeLevel());
    }

    private double duty(double logicalLevel) {
        double out = settings.inverted() ? 1.0 - logicalLevel : logicalLevel;
        return Math.round(out * 10000.0) / 100.0; // percent, 0.01 % resolution
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public synchronized void apply(ActuatorCommand command) {
        if (closed) {
            throw new IllegalStateException("actuator " + settings.name() + " is closed");
        }
        if (command instanceof ActuatorCommand.SetLevel set) {
            cancelPulse();
            drive(set.level());
        } else if (command instanceof ActuatorCommand.On) {
            cancelPulse();
            drive(settings.onLevel());
        } else if (command instanceof ActuatorCommand.Off) {
            cancelPulse();
            drive(0.0);
        } else if (command instanceof ActuatorCommand.Toggle) {
            cancelPulse();
            drive(level > 0.0 ? 0.0 : settings.onLevel());
        } else if (command instanceof ActuatorCommand.Pulse pulse) {
            if (scheduler == null || pulse.duration().isNegative() || pulse.duration().isZero()) {
                throw new IllegalArgumentException("pulse on " + settings.name()
                        + " needs a positive duration and a scheduler, got " + pulse.duration());
            }
            cancelPulse();
            drive(settings.onLevel());
            pulseEnd = scheduler.schedule(this::endPulse, pulse.duration().toNanos(), TimeUnit.NANOSECONDS);
        } else {
            throw new IllegalArgumentException("pwm output " + settings.name()
                    + " accepts set <0..1>, on, off, toggle or pulse, got " + command);
        }
    }

    private synchronized void endPulse() {
        if (!closed) {
            pulseEnd = null;
            drive(0.0);
        }
    }

    private void cancelPulse() {
        if (pulseEnd != null) {
            pulseEnd.cancel(false);
            pulseEnd = null;
        }
    }

    private void drive(double requested) {
        double effective = requested > 0.0 && requested < settings.minLevel() ? settings.minLevel() : requested;
        double duty = duty(effective);
        if (duty <= 0.0) {
            pwm.on(0, settings.frequency());
            pwm.off();
        } else {
            pwm.on(duty, settings.frequency());
        }
        level = effective;
    }

    /** The duty cycle in percent as Pi4J holds it (after inversion). */
    public synchronized double dutyPercent() {
        return pwm.isOn() ? pwm.getDutyCycle() : 0.0;
    }

    @Override
    public synchronized Reading state() {
        return Reading.ok(settings.name(), "level", "1", level, clock.instant());
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        cancelPulse();
        try {
            drive(settings.safeLevel());
        } finally {
            Pins.release(context, pwm.id());
        }
    }
}
