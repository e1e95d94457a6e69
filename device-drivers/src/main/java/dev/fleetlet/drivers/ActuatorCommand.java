package dev.fleetlet.drivers;

/** A command for an {@link Actuator}. A closed set (Java 17: dispatch with {@code instanceof}). */
public sealed interface ActuatorCommand {

    /** Drive the output active (relay closed, LED lit). */
    record On() implements ActuatorCommand {
    }

    /** Drive the output inactive. */
    record Off() implements ActuatorCommand {
    }

    /** Invert the output. */
    record Toggle() implements ActuatorCommand {
    }

    /** Set a PWM duty cycle between 0.0 and 1.0 inclusive. */
    record SetLevel(double level) implements ActuatorCommand {
        public SetLevel {
            if (!(level >= 0.0 && level <= 1.0)) {
                throw new IllegalArgumentException("level must be within [0.0, 1.0], was " + level);
            }
        }
    }

    /** Pulse the output on for a duration, then off (identify, buzzer). */
    record Pulse(java.time.Duration duration) implements ActuatorCommand {
    }
}
