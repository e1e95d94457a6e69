package dev.fleetlet.server.telemetry.internal;

import dev.fleetlet.server.broker.TelemetrySink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single telemetry writer thread: takes batches from a bounded queue and writes them in
 * transactions of up to {@code flushReadings} readings, waiting at most {@code flushInterval} after the
 * first batch of a transaction for more. Each batch's future completes only after its transaction
 * committed (STORED) or failed (FAILED). A failing database never stops the thread.
 */
public final class TelemetryWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TelemetryWriter.class);

    /** Observes each flush; for metrics. */
    public interface Listener {
        void flushed(List<PendingBatch> stored, int readings, long durationNanos, Instant committedAt);

        void failed(List<PendingBatch> batches, Exception error);
    }

    private final TelemetryStore store;
    private final BlockingQueue<PendingBatch> queue;
    private final long flushIntervalNanos;
    private final int flushReadings;
    private final Clock clock;
    private final Listener listener;
    private final Thread thread;
    private volatile boolean running = true;

    public TelemetryWriter(TelemetryStore store, int capacity, Duration flushInterval, int flushReadings, Clock clock,
                           Listener listener) {
        this.store = store;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.flushIntervalNanos = flushInterval.toNanos();
        this.flushReadings = flushReadings;
        this.clock = clock;
        this.listener = listener;
        this.thread = new Thread(this::run, "telemetry-writer");
        this.thread.setDaemon(false);
        this.thread.start();
    }

    /** Queues a batch without blocking; false when the queue is full or the writer is closed. */
    public boolean offer(PendingBatch batch) {
        return running && queue.offer(batch);
    }

    public int depth() {
        return queue.size();
    }

    public int capacity() {
        return queue.size() + queue.remainingCapacity();
    }

    public boolean isAlive() {
        return running && thread.isAlive();
    }

    private void run() {
        List<PendingBatch> flush = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                PendingBatch first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                flush.add(first);
                int readings = first.batch().readings().size();
                long deadline = System.nanoTime() + flushIntervalNanos;
                while (readings < flushReadings) {
                    PendingBatch next = queue.poll();
                    if (next == null) {
                        long wait = deadline - System.nanoTime();
                        if (wait <= 0 || !running) {
                            break;
                        }
                        next = queue.poll(wait, TimeUnit.NANOSECONDS);
                        if (next == null) {
                            break;
                        }
                    }
                    flush.add(next);
                    readings += next.batch().readings().size();
                }
                write(flush, readings);
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            } catch (RuntimeException e) {
                log.error("telemetry writer loop error", e);
                fail(flush, e);
            } finally {
                flush.clear();
            }
        }
        List<PendingBatch> left = new ArrayList<>();
        queue.drainTo(left);
        fail(left, new IllegalStateException("telemetry writer stopped"));
    }

    private void write(List<PendingBatch> flush, int readings) {
        long started = System.nanoTime();
        try {
            List<PendingBatch> alreadyStored = store.write(flush, clock.instant());
            Instant committed = clock.instant();
            long took = System.nanoTime() - started;
            List<PendingBatch> stored = new ArrayList<>(flush);
            stored.removeAll(alreadyStored);
            listener.flushed(stored, readings, took, committed);
            for (PendingBatch p : stored) {
                p.done().complete(TelemetrySink.Outcome.STORED);
            }
            for (PendingBatch p : alreadyStored) {
                p.done().complete(TelemetrySink.Outcome.DUPLICATE);
            }
        } catch (Exception e) {
            log.error("telemetry flush failed batches={} readings={} error={}", flush.size(), readings, e.toString());
            fail(flush, e);
        }
    }

    private void fail(List<PendingBatch> batches, Exception error) {
        if (batches.isEmpty()) {
            return;
        }
        try {
            listener.failed(batches, error);
        } catch (RuntimeException e) {
            log.warn("telemetry writer listener failed", e);
        }
        TelemetrySink.Outcome outcome = new TelemetrySink.Outcome(TelemetrySink.Outcome.Status.FAILED,
                error.getClass().getSimpleName());
        for (PendingBatch p : batches) {
            p.done().complete(outcome);
        }
    }

    /** Stops taking batches, writes what is queued, and waits up to 10 s for the thread to end. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(2_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
