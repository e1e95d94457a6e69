package dev.fleetlet.drivers.spi;

import dev.fleetlet.drivers.Sensor;
import dev.fleetlet.drivers.config.Problems;
import dev.fleetlet.drivers.config.SensorSpec;

/**
 * Base for a sensor factory that first turns the spec into a typed config and then opens either a fake
 * (simulated board) or the real driver from it. {@link #validate} and {@link #create} check the spec the
 * same way, so a subclass only says how to read its keys and how to build the sensor.
 *
 * <p>{@link #create} reports bad keys by throwing {@link dev.fleetlet.drivers.config.ConfigException} with
 * every problem under the entry's key path ({@code sensors[2].address: ...}); it never opens anything
 * for an invalid spec.
 *
 * @param <C> the factory's validated config type
 */
public abstract class ConfiguredSensorFactory<C> implements SensorDriverFactory {

    @Override
    public final void validate(SensorSpec spec, Problems problems) {
        config(spec, problems);
    }

    @Override
    public final Sensor create(SensorSpec spec, DriverContext context) {
        C config = Problems.checked(spec.keyPath(), problems -> config(spec, problems));
        return context.simulated() ? createSimulated(config, spec, context) : createReal(config, spec, context);
    }

    /**
     * Builds the typed config from a spec, recording each problem under its key relative to the entry;
     * returns defaults where a value was unusable (check {@code problems} before using the result).
     */
    protected abstract C config(SensorSpec spec, Problems problems);

    /** Opens the driver on its fake, fed from {@link DriverContext#requireSignals()}. */
    protected abstract Sensor createSimulated(C config, SensorSpec spec, DriverContext context);

    /** Opens the driver on the real hardware; may throw when the hardware cannot be opened at all. */
    protected abstract Sensor createReal(C config, SensorSpec spec, DriverContext context);
}
