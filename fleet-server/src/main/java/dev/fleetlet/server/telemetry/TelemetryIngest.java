package dev.fleetlet.server.telemetry;

import dev.fleetlet.protocol.message.TelemetryBatch;
import dev.fleetlet.server.broker.TelemetrySink;
import dev.fleetlet.server.telemetry.internal.PendingBatch;
import dev.fleetlet.server.telemetry.internal.StreamDedup;
import dev.fleetlet.server.telemetry.internal.TelemetryStore;
import dev.fleetlet.server.telemetry.internal.TelemetryWriter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The telemetry ingest pipeline behind the broker's interceptor: de-duplicate by
 * {@code (deviceId, stream, seq)} ({@link StreamDedup}) → bounded queue → single batching writer
 * ({@link TelemetryWriter}). The returned future completes after the database commit, which is when the
 * broker sends the device its PUBACK.
 */
@Singleton
public class TelemetryIngest implements TelemetrySink {

    private static final Logger log = LoggerFactory.getLogger(TelemetryIngest.class);

    private final StreamDedup dedup;
    private final TelemetryWriter writer;
    private final TelemetryMetrics metrics;
    private final Clock clock;

    TelemetryIngest(TelemetryStore store, TelemetrySettings settings, TelemetryMetrics metrics, MeterRegistry registry,
                    Optional<Clock> clock, @Value("${fleetlet.telemetry.max-queue-wait:4s}") Duration maxQueueWait,
                    @Value("${fleetlet.mqtt.ingest-timeout:10s}") Duration ingestTimeout) {
        if (maxQueueWait.isNegative() || maxQueueWait.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("fleetlet.telemetry.max-queue-wait must be between 0 (no time bound) and 10m, was "
                    + maxQueueWait);
        }
        this.metrics = metrics;
        this.clock = clock.orElse(Clock.systemUTC());
        this.dedup = new StreamDedup(store);
        this.writer = new TelemetryWriter(store, settings.queueCapacity(), maxQueueWait, settings.flushInterval(),
                settings.flushReadings(), settings.flushReadingsMax(), this.clock, new WriterMetrics());
        // a batch still queued after the broker's ingest timeout was answered "not stored": do not write it
        writer.expireAfter(ingestTimeout);
        Gauge.builder("fleetlet.telemetry.queue.depth", writer, TelemetryWriter::depth)
                .description("telemetry batches waiting for the database writer").register(registry);
        Gauge.builder("fleetlet.telemetry.writer.readings_per_second", writer, TelemetryWriter::readingsPerSecond)
                .description("the writer's measured speed (moving average, readings per second of transaction time)")
                .register(registry);
        Gauge.builder("fleetlet.telemetry.queue.readings", writer, TelemetryWriter::queuedReadings)
                .description("telemetry readings waiting for the database writer (bounded by queue-capacity)").register(registry);
    }

    @Override
    public CompletableFuture<Outcome> ingest(TelemetryBatch batch, Instant receivedAt) {
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        StreamDedup.Decision decision;
        try {
            decision = dedup.admit(batch.deviceId(), batch.stream(), batch.seq(), done);
        } catch (SQLException | RuntimeException e) {
            log.error("telemetry de-duplication lookup failed deviceId={} stream={} seq={} error={}",
                    batch.deviceId(), batch.stream(), batch.seq(), e.toString());
            metrics.failed(1);
            return CompletableFuture.completedFuture(new Outcome(Outcome.Status.FAILED, "database unavailable"));
        }
        if (decision instanceof StreamDedup.Duplicate) {
            metrics.duplicate();
            log.debug("telemetry duplicate deviceId={} stream={} seq={}", batch.deviceId(), batch.stream(), batch.seq());
            return CompletableFuture.completedFuture(Outcome.DUPLICATE);
        }
        if (decision instanceof StreamDedup.InFlight inFlight) {
            metrics.duplicate();
            return inFlight.original().thenApply(o -> o.accepted() ? Outcome.DUPLICATE : o);
        }
        done.whenComplete((o, e) -> dedup.settled(batch.deviceId(), batch.stream(), batch.seq()));
        if (!writer.offer(new PendingBatch(batch, receivedAt, System.nanoTime(), done))) {
            metrics.queueFull();
            long retryS = Math.max(1, Math.min(60, (writer.expectedWait().toMillis() + 999) / 1000));
            done.complete(new Outcome(Outcome.Status.QUEUE_FULL, "retry-after=" + retryS + "s; telemetry queue holds "
                    + writer.queuedReadings() + " readings (limit " + writer.capacity() + ", ~" + retryS + " s of writing)"));
        }
        return done;
    }

    /** Batches waiting for the writer. */
    public int queueDepth() {
        return writer.depth();
    }

    /** Whether the writer thread is running. */
    public boolean writerAlive() {
        return writer.isAlive();
    }

    /**
     * Stops accepting batches (later ones are refused as QUEUE_FULL), writes what is queued and stops the
     * writer thread (waits up to ~12 s). Idempotent; called by the server's shutdown sequence after the broker
     * stopped, and again (no-op) at bean destruction.
     */
    @PreDestroy
    public void close() {
        if (writer.isAlive()) {
            writer.close();
            log.info("telemetry writer stopped");
        }
    }

    private final class WriterMetrics implements TelemetryWriter.Listener {
        @Override
        public void flushed(List<PendingBatch> stored, int readings, long durationNanos, Instant committedAt) {
            metrics.stored(stored.size(), readings, durationNanos);
            long now = System.nanoTime();
            for (PendingBatch p : stored) {
                metrics.commitLag(now - p.enqueuedNanos());
                if (p.batch().clockSynced()) {
                    metrics.ingestLag(Duration.between(p.batch().sentAt(), committedAt));
                }
            }
        }

        @Override
        public void failed(List<PendingBatch> batches, Exception error) {
            metrics.failed(batches.size());
        }
    }
}
