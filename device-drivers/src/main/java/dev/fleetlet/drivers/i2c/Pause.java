package dev.fleetlet.drivers.i2c;

import java.time.Duration;

/**
 * Waits a short, bounded time between a chip command and its result (conversion times of a few
 * milliseconds, retry back-off). Injected so tests and the simulated board run without real waiting.
 *
 * <p>{@link #SLEEP} sleeps the calling thread and restores the interrupt flag if interrupted; the
 * driver then carries on and reports whatever the chip says.
 */
@FunctionalInterface
public interface Pause {

    /** Waits for about {@code duration}. */
    void pause(Duration duration);

    /** Sleeps the calling thread; the default for drivers on a board. */
    Pause SLEEP = duration -> {
        try {
            Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    };

    /** Returns at once; for fakes whose conversions complete by polling. */
    Pause NONE = duration -> {
    };
}
