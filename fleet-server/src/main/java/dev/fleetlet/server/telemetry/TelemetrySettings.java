package dev.fleetlet.server.telemetry;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of the telemetry pipeline, from {@code fleetlet.telemetry.*}.
 *
 * @param rawRetention        raw readings (and their batch records) older than this are deleted
 *                            ({@code raw-retention}, default 7d)
 * @param aggregateRetention  per-minute aggregates older than this are deleted ({@code aggregate-retention},
 *                            default 90d); must not be shorter than {@code rawRetention}
 * @param queueCapacity       readings (not batches) waiting for the writer ({@code queue-capacity}, default
 *                            200000, about 20,000 batches of 10); a batch that would go beyond it is refused
 *                            with QUEUE_FULL (the device re-sends it from its store-and-forward queue). A
 *                            batch is always admitted into an empty queue, whatever its size
 * @param flushInterval       the writer waits at most this long to fill a transaction ({@code flush-interval},
 *                            default 20ms). Kept short on purpose: the broker handles a client's publishes
 *                            in order, so while one batch waits for its commit the device's next batches
 *                            wait too, and a device's throughput is one batch per (linger + commit). Under
 *                            load the queue fills during the previous flush anyway
 * @param flushReadings       a transaction is written as soon as it holds this many readings
 *                            ({@code flush-readings}, default 5000), or after {@code flushInterval}
 * @param flushReadingsMax    under a backlog the writer takes what is queued, up to this many readings, into
 *                            one transaction ({@code flush-readings-max}, default 50000; at least
 *                            {@code flushReadings}): larger transactions amortize the per-commit cost of
 *                            rewriting the touched index pages, so a backlog drains faster
 * @param retentionChunk      rows deleted per statement by the retention job ({@code retention-chunk},
 *                            default 5000)
 */
public record TelemetrySettings(Duration rawRetention, Duration aggregateRetention, int queueCapacity,
                                Duration flushInterval, int flushReadings, int flushReadingsMax, int retentionChunk) {

    public TelemetrySettings {
        Objects.requireNonNull(rawRetention, "fleetlet.telemetry.raw-retention");
        Objects.requireNonNull(aggregateRetention, "fleetlet.telemetry.aggregate-retention");
        Objects.requireNonNull(flushInterval, "fleetlet.telemetry.flush-interval");
        positive("fleetlet.telemetry.raw-retention", rawRetention);
        positive("fleetlet.telemetry.aggregate-retention", aggregateRetention);
        positive("fleetlet.telemetry.flush-interval", flushInterval);
        if (aggregateRetention.compareTo(rawRetention) < 0) {
            throw new IllegalArgumentException("fleetlet.telemetry.aggregate-retention (" + aggregateRetention
                    + ") must not be shorter than fleetlet.telemetry.raw-retention (" + rawRetention + ")");
        }
        atLeast("fleetlet.telemetry.queue-capacity", queueCapacity, 1);
        atLeast("fleetlet.telemetry.flush-readings", flushReadings, 1);
        atLeast("fleetlet.telemetry.flush-readings-max", flushReadingsMax, flushReadings);
        atLeast("fleetlet.telemetry.retention-chunk", retentionChunk, 1);
    }

    private static void positive(String key, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(key + " must be positive, was " + d);
        }
    }

    private static void atLeast(String key, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(key + " must be at least " + min + ", was " + value);
        }
    }
}
