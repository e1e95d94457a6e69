package dev.fleetlet.server.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Telemetry meters: {@code fleetlet.telemetry.batches{outcome}}, {@code fleetlet.telemetry.readings.stored},
 * {@code fleetlet.telemetry.duplicates}, timers {@code fleetlet.telemetry.ingest.lag} (commit time minus the
 * device's {@code sentAt}, only for batches with a synchronised clock), {@code fleetlet.telemetry.commit.lag}
 * (queued to committed), {@code fleetlet.telemetry.db.flush} (one transaction), and the gauges registered by
 * {@link TelemetryIngest} ({@code fleetlet.telemetry.queue.depth}).
 */
@Singleton
final class TelemetryMetrics {

    private final Counter stored;
    private final Counter duplicates;
    private final Counter queueFull;
    private final Counter failed;
    private final Counter readings;
    private final Timer ingestLag;
    private final Timer commitLag;
    private final Timer flush;

    TelemetryMetrics(MeterRegistry registry) {
        stored = batches(registry, "stored");
        duplicates = Counter.builder("fleetlet.telemetry.duplicates")
                .description("telemetry batches received again and not stored twice").register(registry);
        queueFull = batches(registry, "queue_full");
        failed = batches(registry, "failed");
        readings = Counter.builder("fleetlet.telemetry.readings.stored").description("readings committed")
                .register(registry);
        ingestLag = Timer.builder("fleetlet.telemetry.ingest.lag")
                .description("commit time minus the batch's sentAt (device clock, synced clocks only)")
                .publishPercentileHistogram().register(registry);
        commitLag = Timer.builder("fleetlet.telemetry.commit.lag").description("queued to committed")
                .publishPercentileHistogram().register(registry);
        flush = Timer.builder("fleetlet.telemetry.db.flush").description("one telemetry write transaction")
                .publishPercentileHistogram().register(registry);
    }

    private static Counter batches(MeterRegistry registry, String outcome) {
        return Counter.builder("fleetlet.telemetry.batches").description("telemetry batches by outcome")
                .tag("outcome", outcome).register(registry);
    }

    void stored(int batchCount, int readingCount, long flushNanos) {
        stored.increment(batchCount);
        readings.increment(readingCount);
        flush.record(Duration.ofNanos(flushNanos));
    }

    void ingestLag(Duration lag) {
        if (!lag.isNegative()) {
            ingestLag.record(lag);
        }
    }

    void commitLag(long nanos) {
        commitLag.record(Duration.ofNanos(nanos));
    }

    void duplicate() {
        duplicates.increment();
    }

    void queueFull() {
        queueFull.increment();
    }

    void failed(int batchCount) {
        failed.increment(batchCount);
    }
}
