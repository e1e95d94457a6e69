package dev.fleetlet.drivers.sim;

import java.time.Clock;
import java.util.function.DoubleSupplier;

/**
 * A physical quantity as a pure function of time (epoch milliseconds): the same seed and time give
 * the same value, however often or in whatever order it is asked. Build them with {@link Signals}.
 */
@FunctionalInterface
public interface Signal {

    double at(long epochMillis);

    default Signal plus(Signal other) {
        return t -> at(t) + other.at(t);
    }

    default Signal scaled(double factor) {
        return t -> at(t) * factor;
    }

    /** Reads this signal at the clock's current time. */
    default DoubleSupplier reading(Clock clock) {
        return () -> at(clock.millis());
    }
}
