package dev.fleetlet.drivers.config;

import java.util.Map;
import java.util.Objects;

/**
 * One actuator as declared in the board configuration.
 *
 * @param index     position in the {@code actuators} list, for error messages
 * @param type      driver type: {@code digital-output} or {@code pwm}
 * @param name      unique name on the board
 * @param pin       BCM GPIO number (required)
 * @param activeLow {@code true} when the load is on while the pin is low (most relay boards)
 * @param safeLevel the level driven at start and at shutdown: 0.0 (off, the default) .. 1.0 (on)
 * @param labels    free-form labels carried to telemetry
 * @param options   type-specific settings, e.g. {@code frequency} for PWM; read with {@link Options}
 */
public record ActuatorSpec(int index, String type, String name, int pin, boolean activeLow, double safeLevel,
                           Map<String, String> labels, Map<String, String> options) {

    public ActuatorSpec {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        if (!(safeLevel >= 0.0 && safeLevel <= 1.0)) {
            throw new IllegalArgumentException("safeLevel must be within [0, 1], was " + safeLevel);
        }
        labels = Map.copyOf(labels == null ? Map.of() : labels);
        options = Map.copyOf(options == null ? Map.of() : options);
    }

    /** A spec built in code: active high, safe state off, no labels or options. */
    public static ActuatorSpec of(String type, String name, int pin) {
        return new ActuatorSpec(0, type, name, pin, false, 0.0, Map.of(), Map.of());
    }

    public String keyPath() {
        return "actuators[" + index + "]";
    }

    public ActuatorSpec withActiveLow(boolean newActiveLow) {
        return new ActuatorSpec(index, type, name, pin, newActiveLow, safeLevel, labels, options);
    }

    public ActuatorSpec withSafeLevel(double newSafeLevel) {
        return new ActuatorSpec(index, type, name, pin, activeLow, newSafeLevel, labels, options);
    }

    public ActuatorSpec withOptions(Map<String, String> newOptions) {
        return new ActuatorSpec(index, type, name, pin, activeLow, safeLevel, labels, newOptions);
    }
}
