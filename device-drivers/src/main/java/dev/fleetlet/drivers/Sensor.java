package dev.fleetlet.drivers;

import java.time.Duration;
import java.util.List;

/**
 * The port every sensor driver implements.
 *
 * <p>Contract: {@link #sample()} never throws. A hardware fault (bus error, CRC mismatch, missing sysfs
 * node, wrong chip id) becomes readings with {@link Quality.Failed} and a reason; an implausible value
 * becomes {@link Quality.Suspect}. The next call tries the hardware again, so a driver recovers by
 * itself when the fault clears. A sample yields one reading per quantity the sensor measures, in a
 * stable order.
 *
 * <p>Drivers are not thread-safe: the sampler calls one sensor from one thread at a time.
 */
public interface Sensor extends AutoCloseable {

    /** The configured name of this sensor. */
    String name();

    /** Reads the hardware once. Never throws; failures are readings with a failed quality. */
    List<Reading> sample();

    /**
     * The longest a healthy {@link #sample()} is expected to block, including the time the kernel or
     * the chip needs for a conversion and the driver's own retries and pauses; {@link Duration#ZERO}
     * (the default) for drivers that only move a few bytes over a bus or read a ready sysfs value.
     *
     * <p>The {@link dev.fleetlet.drivers.sampler.Sampler} uses it twice: a sensor at or above its slow
     * threshold (50 ms by default) runs on the slow lane, so a 750 ms 1-Wire conversion never delays a
     * fast I2C read; and a read that takes longer than a multiple of it (with a floor) is reported as
     * timed out. Return a fixed figure from the configuration; must not touch the hardware, must not be
     * negative.
     */
    default Duration expectedReadTime() {
        return Duration.ZERO;
    }

    /** Releases the bus or pin. Idempotent. */
    @Override
    default void close() {
    }
}
