package dev.fleetlet.drivers.sim;

import dev.fleetlet.drivers.config.SensorSpec;
import dev.fleetlet.drivers.spi.SignalSource;
import java.time.Clock;
import java.util.function.DoubleSupplier;

/**
 * The plausible world of the simulated board. Per quantity (values in natural units):
 * <ul>
 *   <li>{@code temperature}: 21 °C ± 4 °C daily cycle (peak 15:00 UTC) + ±0.3 °C slow noise;</li>
 *   <li>{@code humidity}: 55 %RH ∓ 10 %RH (lowest when warmest) + ±1.5 %RH slow noise, clamped 0..100;</li>
 *   <li>{@code pressure}: 101 325 Pa ± 400 Pa over hours;</li>
 *   <li>{@code voltage}, {@code voltage0..3}: 1.65 V ± 0.4 V slow drift + 2 mV white noise per 100 ms;</li>
 *   <li>{@code motion} and other digital states: a 5 s event on average every 90 s;</li>
 *   <li>anything else: 0.5 ± 0.2 slow drift.</li>
 * </ul>
 * Each sensor gets its own seed derived from the board seed and its name, so two sensors differ.
 */
public final class SimulatedSignals implements SignalSource {

    private final long seed;
    private final Clock clock;

    public SimulatedSignals(long seed, Clock clock) {
        this.seed = seed;
        this.clock = clock;
    }

    @Override
    public DoubleSupplier signal(SensorSpec spec, String quantity) {
        return signal(spec.name(), quantity).reading(clock);
    }

    /** The signal of {@code quantity} for the sensor named {@code sensor}. */
    public Signal signal(String sensor, String quantity) {
        long s = Signals.seed(seed, sensor + "/" + quantity);
        if (quantity.startsWith("temperature")) {
            return Signals.dailyCycle(21.0, 4.0, 15.0).plus(Signals.smoothNoise(s, 0.3, 600_000));
        }
        if (quantity.equals("humidity")) {
            Signal h = Signals.dailyCycle(55.0, -10.0, 15.0).plus(Signals.smoothNoise(s, 1.5, 900_000));
            return t -> Math.max(0.0, Math.min(100.0, h.at(t)));
        }
        if (quantity.equals("pressure")) {
            return Signals.constant(101_325.0).plus(Signals.smoothNoise(s, 400.0, 3 * 3_600_000L));
        }
        if (quantity.startsWith("voltage")) {
            return Signals.constant(1.65).plus(Signals.smoothNoise(s, 0.4, 1_800_000))
                    .plus(Signals.whiteNoise(s ^ 1, 0.002, 100));
        }
        if (quantity.equals("motion") || quantity.equals("state") || quantity.equals("pressed") || quantity.equals("open")) {
            return Signals.events(s, 90_000, 5_000);
        }
        return Signals.constant(0.5).plus(Signals.smoothNoise(s, 0.2, 600_000));
    }
}
