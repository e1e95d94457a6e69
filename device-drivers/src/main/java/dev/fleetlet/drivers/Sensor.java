package dev.fleetlet.drivers;

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

    /** Releases the bus or pin. Idempotent. */
    @Override
    default void close() {
    }
}
