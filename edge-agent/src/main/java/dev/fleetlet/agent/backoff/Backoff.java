package dev.fleetlet.agent.backoff;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongUnaryOperator;

/**
 * Exponential back-off with full jitter: attempt {@code n} (from 0) waits a uniformly random time in
 * {@code [0, min(cap, initial * 2^n)]}. Full jitter spreads the reconnects of a whole fleet over the
 * window, so 10,000 devices do not hit a restarted broker in the same second. Not thread-safe: one
 * instance per retry loop.
 */
public final class Backoff {

    private final Duration initial;
    private final Duration cap;
    private final LongUnaryOperator random;
    private int attempt;

    /**
     * @param initial the first window (must be positive)
     * @param cap     the largest window
     * @param random  given a bound {@code b > 0}, returns a uniformly random value in {@code [0, b]}
     *                (inject a fixed one in tests)
     */
    public Backoff(Duration initial, Duration cap, LongUnaryOperator random) {
        this.initial = Objects.requireNonNull(initial, "initial");
        this.cap = Objects.requireNonNull(cap, "cap");
        this.random = Objects.requireNonNull(random, "random");
        if (initial.isZero() || initial.isNegative() || cap.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff: expected 0 < initial <= cap, got " + initial + " and " + cap);
        }
    }

    /** With {@link java.util.concurrent.ThreadLocalRandom}. */
    public static Backoff withJitter(Duration initial, Duration cap) {
        return new Backoff(initial, cap,
                bound -> java.util.concurrent.ThreadLocalRandom.current().nextLong(bound + 1));
    }

    /** The delay before the next attempt; grows the window for the one after. */
    public Duration next() {
        long window = window(attempt);
        if (attempt < 62) {
            attempt++;
        }
        return Duration.ofMillis(random.applyAsLong(window));
    }

    /** The upper bound of the wait before attempt {@code n}, in milliseconds. */
    public long window(int n) {
        long capMs = cap.toMillis();
        long base = initial.toMillis();
        if (n >= 62 || base > (capMs >> Math.min(n, 62))) {
            return capMs;
        }
        return Math.min(capMs, base << n);
    }

    /** Back to the first window (after a stable connection or a success). */
    public void reset() {
        attempt = 0;
    }

    /** Attempts since the last reset. */
    public int attempts() {
        return attempt;
    }
}
