package dev.fleetlet.drivers.spi;

import dev.fleetlet.drivers.config.SensorSpec;
import java.util.function.DoubleSupplier;

/**
 * Where the simulated board's fakes get their physical values from. Implemented in
 * {@code dev.fleetlet.drivers.sim}; signals are deterministic given the board seed and the clock,
 * vary slowly and plausibly (daily temperature cycle, noisy ADC channel, ...).
 */
public interface SignalSource {

    /**
     * A signal for one quantity of one sensor, in the quantity's natural unit: {@code temperature}
     * in °C, {@code humidity} in %RH, {@code pressure} in Pa, {@code voltage} in V (per ADC channel:
     * {@code voltage0} .. {@code voltage3}), {@code motion} as 0/1. Unknown quantities get a slowly
     * varying value around 0.5. Each call returns a supplier reading the signal at the clock's now.
     */
    DoubleSupplier signal(SensorSpec spec, String quantity);
}
