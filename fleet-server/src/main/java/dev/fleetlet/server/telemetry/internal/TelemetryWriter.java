package dev.fleetlet.server.telemetry.internal;

import dev.fleetlet.server.broker.TelemetrySink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single telemetry writer thread: takes batches from a queue bounded in readings and writes them in
 * transactions. Normally a transaction closes at {@code flushReadings} readings or {@code flushInterval}
 * after its first batch, whichever comes first; under a backlog (more than {@code flushReadings} readings
 * queued) it takes what is queued, up to {@code flushReadingsMax}, at once, because the cost of a commit
 * (rewriting every index page it touched) grows far slower than the number of rows in it. Each batch's
 * future completes only after its transaction committed (STORED) or failed (FAILED). A failing database
 * never stops the thread.
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
    private final int flushReadingsMax;
    private final long capacityReadings;
    private final AtomicLong queuedReadings = new AtomicLong();
    private final Clock clock;
    private final Listener listener;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param capacityReadings readings that may wait for the writer; a batch beyond it is refused, except into
     *                         an empty queue
     */
    public TelemetryWriter(TelemetryStore store, long capacityReadings, Duration flushInterval, int flushReadings,
                           int flushReadingsMax, Clock clock, Listener listener) {
        this.store = store;
        this.queue = new LinkedBlockingQueue<>();
        this.capacityReadings = capacityReadings;
        this.flushIntervalNanos = flushInterval.toNanos();
        this.flushReadings = flushReadings;
        this.flushReadingsMax = Math.max(flushReadings, flushReadingsMax);
        this.clock = clock;
        this.listener = listener;
        this.thread = new Thread(this::run, "telemetry-writer");
        this.thread.setDaemon(false);
        this.thread.start();
    }

    /** Queues a batch without blocking; false when its readings do not fit or the writer is closed. */
    public boolean offer(PendingBatch batch) {
        if (!running) {
            return false;
        }
        int n = size(batch);
        long total = queuedReadings.addAndGet(n);
        if (total > capacityReadings && total != n) {
            queuedReadings.addAndGet(-n);
            return false;
        }
        queue.add(batch);
        return true;
    }

    /** Batches waiting for the writer. */
    public int depth() {
        return queue.size();
    }

    /** Readings waiting for the writer. */
    public long queuedReadings() {
        return queuedReadings.get();
    }

    /** Readings that may wait for the writer. */
    public long capacity() {
        return capacityReadings;
    }

    private PendingBatch take(PendingBatch p) {
        if (p != null) {
            queuedReadings.addAndGet(-size(p));
        }
        return p;
    }

    private static int size(PendingBatch p) {
        return Math.max(1, p.batch().readings().size());
    }

    public boolean isAlive() {
        return running && thread.isAlive();
    }

    private void run() {
        List<PendingBatch> flush = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                PendingBatch first = take(queue.poll(200, TimeUnit.MILLISECONDS));
                if (first == null) {
                    continue;
                }
                flush.add(first);
                int readings = first.batch().readings().size();
                long deadline = System.nanoTime() + flushIntervalNanos;
                // adaptive size: with a backlog, take what is queued (up to the maximum) in one transaction
                long limit = Math.max(flushReadings, Math.min(flushReadingsMax, readings + queuedReadings.get()));
                while (readings < limit) {
                    PendingBatch next = take(queue.poll());
                    if (next == null) {
                        long wait = deadline - System.nanoTime();
                        if (wait <= 0 || !running) {
                            break;
                        }
                        next = take(queue.poll(wait, TimeUnit.NANOSECONDS));
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
        queuedReadings.set(0);
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
