package dev.fleetlet.agent.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Restart decisions for one container: exponential back-off ({@code initial}, doubled per crash,
 * capped at {@code max}) that resets to {@code initial} once the container has run for
 * {@code healthyAfter}. It never latches: however many crashes, a restart is always scheduled
 * (at most {@code max} away), so a board recovers by itself once the cause goes away.
 */
public final class RestartBackoff {
    private final RestartPolicy policy;
    private final Duration initial;
    private final Duration max;
    private final Duration healthyAfter;
    private final Clock clock;
    private Instant startedAt;
    private int consecutiveCrashes;

    public RestartBackoff(RestartPolicy policy, Duration initial, Duration max, Duration healthyAfter, Clock clock) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("restart back-off needs 0 < initial <= max, got " + initial + " / " + max);
        }
        this.policy = policy;
        this.initial = initial;
        this.max = max;
        this.healthyAfter = healthyAfter;
        this.clock = clock;
    }

    /** Call when the container (re)starts. */
    public void started() {
        startedAt = clock.instant();
    }

    /** Call when it exits: when to start it again, or empty when the policy says not to. */
    public Optional<Instant> exited(int exitCode) {
        Instant now = clock.instant();
        if (startedAt != null && Duration.between(startedAt, now).compareTo(healthyAfter) >= 0) {
            consecutiveCrashes = 0;
        }
        if (!policy.restarts(exitCode)) {
            return Optional.empty();
        }
        Duration delay = delayFor(consecutiveCrashes);
        consecutiveCrashes++;
        return Optional.of(now.plus(delay));
    }

    public int consecutiveCrashes() {
        return consecutiveCrashes;
    }

    private Duration delayFor(int crashes) {
        Duration d = initial;
        for (int i = 0; i < crashes && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(max) > 0 ? max : d;
    }
}
