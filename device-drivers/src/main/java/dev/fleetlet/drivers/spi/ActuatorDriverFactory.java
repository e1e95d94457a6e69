package dev.fleetlet.drivers.spi;

import dev.fleetlet.drivers.Actuator;
import dev.fleetlet.drivers.config.ActuatorSpec;
import dev.fleetlet.drivers.config.Problems;

/**
 * Creates actuator drivers of one {@link #type()}; same life cycle as {@link SensorDriverFactory}.
 * A created actuator is already in its safe state.
 */
public interface ActuatorDriverFactory {

    /** The {@code type} value in the configuration, e.g. {@code digital-output}. */
    String type();

    /** Checks the type-specific keys of {@code spec}; {@code problems} is scoped to the entry. */
    void validate(ActuatorSpec spec, Problems problems);

    /** Opens the output and drives it to the safe state. */
    Actuator create(ActuatorSpec spec, DriverContext context);
}
