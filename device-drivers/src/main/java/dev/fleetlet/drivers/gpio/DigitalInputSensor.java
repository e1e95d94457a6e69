package dev.fleetlet.drivers.gpio;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.DigitalStateChangeListener;
import com.pi4j.io.gpio.digital.PullResistance;
import dev.fleetlet.drivers.Reading;
import dev.fleetlet.drivers.Sensor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A digital input (push button, PIR motion sensor, reed switch) read through Pi4J.
 *
 * <p>Each sample yields two readings: {@code <quantity>} (the debounced logical state, 1 = active,
 * unit {@code 1}) and {@code edges} (active edges counted since start, unit {@code 1}). Edges are
 * counted from Pi4J change events between samples, so pulses shorter than the sampling interval but
 * longer than the debounce time are not lost. {@code activeLow} inverts the level (a button wired to
 * ground with a pull-up is active when low). Debounce is done in software with the injected clock
 * (the mock and linuxfs providers have none) and also requested from the provider (gpiod honours it).
 *
 * <p>Failure modes: a pin whose state cannot be read, or reads as {@code UNKNOWN}, yields failed
 * readings; the next sample tries again.
 */
public final class DigitalInputSensor implements Sensor {

    /** Pull resistor setting. */
    public enum Pull { UP, DOWN, OFF }

    /**
     * @param name      sensor name
     * @param pin       BCM GPIO number
     * @param pull      pull resistor
     * @param debounce  minimum stable time of a level (0 disables)
     * @param activeLow {@code true} when a low level means active
     * @param quantity  the name of the state reading, e.g. {@code motion}, {@code pressed}, {@code open}
     */
    public record Settings(String name, int pin, Pull pull, Duration debounce, boolean activeLow, String quantity) {
    }

    private final Settings settings;
    private final Clock clock;
    private final Context context;
    private final DigitalInput input;
    private final Debouncer debouncer;
    private final DigitalStateChangeListener listener;
    private boolean closed;

    public DigitalInputSensor(Settings settings, Context context, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.context = context;
        PullResistance pull = switch (settings.pull()) {
            case UP -> PullResistance.PULL_UP;
            case DOWN -> PullResistance.PULL_DOWN;
            case OFF -> PullResistance.OFF;
        };
        this.input = context.create(DigitalInput.newConfigBuilder(context)
                .id(pi4jId(settings.name()))
                .name(settings.name())
                .address(settings.pin())
                .pull(pull)
                .debounce(settings.debounce().toNanos() / 1000));
        long now = clock.millis();
        DigitalState initial = input.state();
        this.debouncer = new Debouncer(settings.debounce().toMillis(), active(initial), now);
        this.listener = event -> onChange(event.state());
        input.addListener(listener);
    }

    /** The Pi4J IO id used for this input (unique per board name). */
    static String pi4jId(String name) {
        return "din-" + name;
    }

    private void onChange(DigitalState state) {
        if (state == DigitalState.UNKNOWN) {
            return;
        }
        long now = clock.millis();
        synchronized (debouncer) {
            debouncer.raw(active(state), now);
        }
    }

    private boolean active(DigitalState state) {
        return (state == DigitalState.HIGH) != settings.activeLow();
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public List<Reading> sample() {
        Instant at = clock.instant();
        DigitalState state;
        try {
            state = input.state();
        } catch (RuntimeException e) {
            return failed(at, "cannot read GPIO" + settings.pin() + ": " + e.getMessage());
        }
        if (state == null || state == DigitalState.UNKNOWN) {
            return failed(at, "GPIO" + settings.pin() + " state unknown");
        }
        boolean stable;
        long edges;
        synchronized (debouncer) {
            debouncer.raw(active(state), at.toEpochMilli());
            stable = debouncer.stable();
            edges = debouncer.edges();
        }
        return List.of(
                Reading.ok(settings.name(), settings.quantity(), "1", stable ? 1.0 : 0.0, at),
                Reading.ok(settings.name(), "edges", "1", edges, at));
    }

    private List<Reading> failed(Instant at, String reason) {
        return List.of(
                Reading.failed(settings.name(), settings.quantity(), "1", at, reason),
                Reading.failed(settings.name(), "edges", "1", at, reason));
    }

    /** The Pi4J input, for the simulated board's stimulus. */
    DigitalInput pin() {
        return input;
    }

    Settings settings() {
        return settings;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        input.removeListener(listener);
        Pins.release(context, input.id());
    }
}
