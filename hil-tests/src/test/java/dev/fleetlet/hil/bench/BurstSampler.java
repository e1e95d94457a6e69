package dev.fleetlet.hil.bench;

import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Samples a failure counter once a second from creation and reports how long refusals went on: the total,
 * the first and last second in which the counter rose, and the number of seconds in which it rose (the
 * "burst" of refused telemetry during the enrollment/connect phase of {@link IngestBench}).
 */
final class BurstSampler implements AutoCloseable {

    private final LongSupplier failures;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-burst-sampler");
        t.setDaemon(true);
        return t;
    });
    private long last;
    private long total;
    private double firstS = -1;
    private double lastS = -1;
    private int secondsWithRefusals;

    BurstSampler(LongSupplier failures) {
        this.failures = failures;
        this.last = failures.getAsLong();
        timer.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
    }

    private synchronized void sample() {
        long now = failures.getAsLong();
        if (now > last) {
            double at = (System.nanoTime() - startNanos) / 1e9;
            if (firstS < 0) {
                firstS = at;
            }
            lastS = at;
            secondsWithRefusals++;
            total += now - last;
        }
        last = now;
    }

    synchronized String describe() {
        return String.format(Locale.ROOT, "refused_batches=%d first_refusal_s=%.0f last_refusal_s=%.0f burst_s=%.0f "
                + "seconds_with_refusals=%d", total, firstS, lastS, firstS < 0 ? 0.0 : lastS - firstS + 1, secondsWithRefusals);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
