package dev.fleetlet.drivers.spi;

import dev.fleetlet.drivers.Sensor;
import dev.fleetlet.drivers.config.Problems;
import dev.fleetlet.drivers.config.SensorSpec;

/**
 * Creates sensor drivers of one {@link #type()}. One implementation per chip or sensor family,
 * listed in {@link DriverRegistry#standard()}.
 *
 * <p>{@link #validate} is called for every configured sensor of this type before anything is
 * opened; it reports each problem with a key relative to the entry ({@code address},
 * {@code options.gain}) and never throws. {@link #create} is only called for specs that passed
 * validation; it may throw when the hardware cannot be opened at all (the board then refuses to
 * start), but a sensor that merely reads badly must be created and report failed readings.
 */
public interface SensorDriverFactory {

    /** The {@code type} value in the configuration, lower-case with dashes, e.g. {@code bme280}. */
    String type();

    /** Checks the type-specific keys of {@code spec}; {@code problems} is scoped to the entry. */
    void validate(SensorSpec spec, Problems problems);

    /**
     * Opens the driver. On the simulated board ({@link DriverContext#simulated()}) the factory wires its
     * fake (register map, fake sysfs node) to {@link DriverContext#signals()}.
     */
    Sensor create(SensorSpec spec, DriverContext context);
}
