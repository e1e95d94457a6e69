package dev.fleetlet.hil.sim.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off with full jitter: attempt {@code n} (from 0) waits a uniformly random time in
 * {@code [cap/2, cap]} where {@code cap = min(max, initial * 2^n)}. The lower half bound keeps a
 * reconnect storm from hammering the server, the random part spreads thousands of devices that lost
 * their connection at the same instant.
 */
public record Backoff(Duration initial, Duration max) {

    public Backoff {
        if (initial == null || initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial: must be positive, was " + initial);
        }
        if (max == null || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max: must be at least initial, was " + max);
        }
    }

    /** The largest delay of attempt {@code attempt} (before jitter). */
    public long capMillis(int attempt) {
        int shift = Math.max(0, Math.min(attempt, 30));
        long cap = initial.toMillis() << shift;
        return cap <= 0 || cap > max.toMillis() ? max.toMillis() : cap;
    }

    /** A jittered delay for attempt {@code attempt}, in milliseconds. */
    public long delayMillis(int attempt) {
        long cap = capMillis(attempt);
        long low = cap / 2;
        return low + ThreadLocalRandom.current().nextLong(cap - low + 1);
    }
}
