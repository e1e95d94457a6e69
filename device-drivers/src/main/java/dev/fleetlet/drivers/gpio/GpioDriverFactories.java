package dev.fleetlet.drivers.gpio;

import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import dev.fleetlet.drivers.Actuator;
import dev.fleetlet.drivers.Reading;
import dev.fleetlet.drivers.Sensor;
import dev.fleetlet.drivers.config.ActuatorSpec;
import dev.fleetlet.drivers.config.Options;
import dev.fleetlet.drivers.config.Problems;
import dev.fleetlet.drivers.config.SensorSpec;
import dev.fleetlet.drivers.spi.ActuatorDriverFactory;
import dev.fleetlet.drivers.spi.ConfiguredSensorFactory;
import dev.fleetlet.drivers.spi.DriverContext;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * Factories for the GPIO drivers: {@code digital-input}, {@code digital-output} and {@code pwm}.
 * Option keys and defaults are documented in the module README.
 */
public final class GpioDriverFactories {

    private GpioDriverFactories() {
    }

    /** {@code digital-input}: options pull (up|down|off, default off), debounce (10ms), activeLow (false), quantity (state). */
    public static final class DigitalInputFactory extends ConfiguredSensorFactory<DigitalInputSensor.Settings> {

        @Override
        public String type() {
            return "digital-input";
        }

        @Override
        protected DigitalInputSensor.Settings config(SensorSpec spec, Problems problems) {
            if (spec.pin() == null) {
                problems.add("pin", "required for digital-input: the BCM GPIO number (0-27)");
            }
            Options o = new Options(spec.options(), problems).allowOnly(Set.of("pull", "debounce", "activeLow", "quantity"));
            Duration debounce = o.duration("debounce", Duration.ofMillis(10));
            if (debounce.compareTo(Duration.ofSeconds(1)) > 0) {
                problems.add("options.debounce", "expected at most 1s, got " + spec.options().get("debounce"));
            }
            String quantity = o.string("quantity", "state");
            if (!quantity.matches("[a-z][a-z0-9_]{0,31}")) {
                problems.add("options.quantity", "expected a lower-case identifier such as motion, got '" + quantity + "'");
            }
            return new DigitalInputSensor.Settings(spec.name(), spec.pin() == null ? 0 : spec.pin(),
                    o.choice("pull", DigitalInputSensor.Pull.class, DigitalInputSensor.Pull.OFF),
                    debounce, o.bool("activeLow", false), quantity);
        }

        @Override
        protected Sensor createReal(DigitalInputSensor.Settings settings, SensorSpec spec, DriverContext context) {
            return new DigitalInputSensor(settings, context.requirePi4j(), context.clock());
        }

        @Override
        protected Sensor createSimulated(DigitalInputSensor.Settings settings, SensorSpec spec, DriverContext context) {
            DigitalInputSensor sensor = new DigitalInputSensor(settings, context.requirePi4j(), context.clock());
            DoubleSupplier signal = context.requireSignals().signal(spec, sensor.settings().quantity());
            return new Stimulated(sensor, signal);
        }
    }

    /**
     * On the simulated board: before each sample, drives the mock pin to the level the signal asks
     * for (signal &gt; 0.5 = active), then samples the real driver.
     */
    static final class Stimulated implements Sensor {
        private final DigitalInputSensor delegate;
        private final DoubleSupplier signal;

        Stimulated(DigitalInputSensor delegate, DoubleSupplier signal) {
            this.delegate = delegate;
            this.signal = signal;
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public List<Reading> sample() {
            if (delegate.pin() instanceof MockDigitalInput mock) {
                boolean active = signal.getAsDouble() > 0.5;
                mock.mockState(active != delegate.settings().activeLow() ? DigitalState.HIGH : DigitalState.LOW);
            }
            return delegate.sample();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    /** {@code digital-output}: safeState off|on; no options. */
    public static final class DigitalOutputFactory implements ActuatorDriverFactory {

        @Override
        public String type() {
            return "digital-output";
        }

        @Override
        public void validate(ActuatorSpec spec, Problems problems) {
            new Options(spec.options(), problems).allowOnly(Set.of());
            if (spec.safeLevel() != 0.0 && spec.safeLevel() != 1.0) {
                problems.add("safeState", "expected off or on for a digital output, got " + spec.safeLevel());
            }
        }

        @Override
        public Actuator create(ActuatorSpec spec, DriverContext context) {
            return new DigitalOutputActuator(spec.name(), spec.pin(), spec.activeLow(), spec.safeLevel() >= 0.5,
                    context.requirePi4j(), context.clock(), context.scheduler());
        }
    }

    /**
     * {@code pwm}: options frequency (Hz, default 1000), channel (default from pin: 12/18 → 0, 13/19 → 1),
     * onLevel (1.0), minLevel (0.0); {@code activeLow} inverts the duty cycle.
     */
    public static final class PwmFactory implements ActuatorDriverFactory {

        @Override
        public String type() {
            return "pwm";
        }

        @Override
        public void validate(ActuatorSpec spec, Problems problems) {
            settings(spec, problems);
        }

        private static PwmActuator.Settings settings(ActuatorSpec spec, Problems problems) {
            Options o = new Options(spec.options(), problems)
                    .allowOnly(Set.of("frequency", "channel", "onLevel", "minLevel"));
            int defaultChannel = switch (spec.pin()) {
                case 12, 18 -> 0;
                case 13, 19 -> 1;
                default -> -1;
            };
            if (defaultChannel < 0 && !spec.options().containsKey("channel")) {
                problems.add("pin", "expected a hardware PWM pin (12, 13, 18 or 19) or an explicit options.channel, got "
                        + spec.pin());
            }
            int channel = o.integer("channel", Math.max(defaultChannel, 0), 0, 3);
            int frequency = o.integer("frequency", 1000, 1, 1_000_000);
            double onLevel = o.number("onLevel", 1.0, 0.0, 1.0);
            double minLevel = o.number("minLevel", 0.0, 0.0, 1.0);
            return new PwmActuator.Settings(spec.name(), channel, frequency, spec.activeLow(), spec.safeLevel(),
                    onLevel, minLevel);
        }

        @Override
        public Actuator create(ActuatorSpec spec, DriverContext context) {
            PwmActuator.Settings settings = Problems.checked(spec.keyPath(), problems -> settings(spec, problems));
            return new PwmActuator(settings, context.requirePi4j(), context.clock(), context.scheduler());
        }
    }
}
