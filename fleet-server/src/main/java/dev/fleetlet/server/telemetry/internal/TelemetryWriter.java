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
 *
 * <p>Admission is bounded in time as well as in readings: with {@code maxQueueWait} set, a batch is refused
 * while the oldest queued batch has waited longer than that. A batch admitted into such a queue would only
 * run into the broker's ingest timeout (the device sees a failure although the rows are written later,
 * re-sends, and the writer spends its time on batches nobody waits for any more); refused at once, the
 * device keeps it and retries. The writer also keeps a moving average of its speed, measured on
 * transactions of at least {@code flushReadings} readings, and caps a backlog transaction at half of
 * {@code maxQueueWait} worth of readings, so that the transaction itself does not outlast the timeout.
 * A batch that has waited longer than {@code expireAfter} (the broker's ingest timeout: the device has been
 * told "not stored" already and will send it again) is not written but completed as FAILED "expired", so a
 * starved writer does not spend itself on answers nobody receives.
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
    private final long maxQueueWaitNanos;
    private volatile long expireAfterNanos;
    /** Moving average of readings written per second of transaction time; 0 until the first flush. */
    private volatile double readingsPerSecond;
    private volatile boolean running = true;

    /**
     * @param capacityReadings readings that may wait for the writer; a batch beyond it is refused, except into
     *                         an empty queue
     */
    public TelemetryWriter(TelemetryStore store, long capacityReadings, Duration flushInterval, int flushReadings,
                           int flushReadingsMax, Clock clock, Listener listener) {
        this(store, capacityReadings, Duration.ZERO, flushInterval, flushReadings, flushReadingsMax, clock, listener);
    }

    /**
     * @param capacityReadings readings that may wait for the writer; a batch beyond it is refused, except into
     *                         an empty queue
     * @param maxQueueWait     a batch is refused when the queued readings ahead of it would take longer than
     *                         this to write at the writer's measured speed; zero: no time bound
     */
    public TelemetryWriter(TelemetryStore store, long capacityReadings, Duration maxQueueWait, Duration flushInterval,
                           int flushReadings, int flushReadingsMax, Clock clock, Listener listener) {
        this.maxQueueWaitNanos = maxQueueWait.toNanos();
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
        if (total != n && (total > capacityReadings || waitedTooLong())) {
            queuedReadings.addAndGet(-n);
            return false;
        }
        queue.add(batch);
        return true;
    }

    /**
     * Batches that waited longer than this before the writer took them are failed ("expired") instead of
     * written; zero (the default) never expires them. Set it to the broker's ingest timeout.
     */
    public void expireAfter(Duration expireAfter) {
        this.expireAfterNanos = expireAfter.toNanos();
    }

    private boolean expired(PendingBatch p) {
        long limit = expireAfterNanos;
        return limit > 0 && System.nanoTime() - p.enqueuedNanos() > limit;
    }

    private boolean waitedTooLong() {
        return maxQueueWaitNanos > 0 && oldestWaitNanos() > maxQueueWaitNanos;
    }

    private long oldestWaitNanos() {
        PendingBatch head = queue.peek();
        return head == null ? 0 : System.nanoTime() - head.enqueuedNanos();
    }

    /** How long the oldest queued batch has waited; zero when the queue is empty. */
    public Duration oldestWait() {
        return Duration.ofNanos(Math.max(0, oldestWaitNanos()));
    }

    /**
     * A guess of how long the queued readings will take to write: at the measured speed when known, else the
     * oldest batch's wait; for the "retry after" hint of a refusal.
     */
    public Duration expectedWait() {
        double speed = readingsPerSecond;
        long queued = queuedReadings.get();
        if (speed > 0 && queued > 0) {
            return Duration.ofNanos((long) (queued / speed * 1e9));
        }
        return oldestWait();
    }

    /** The writer's measured speed in readings per second of transaction time (moving average; 0 until known). */
    public double readingsPerSecond() {
        return readingsPerSecond;
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
                if (expired(first)) {
                    expire(first);
                    continue;
                }
                flush.add(first);
                int readings = first.batch().readings().size();
                long deadline = System.nanoTime() + flushIntervalNanos;
                // adaptive size: with a backlog, take what is queued (up to the maximum) in one transaction
                long limit = Math.max(flushReadings, Math.min(backlogLimit(), readings + queuedReadings.get()));
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
                    if (expired(next)) {
                        expire(next);
                        continue;
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

    /** The most readings one backlog transaction takes: the configured maximum, and half the queue-wait budget. */
    private long backlogLimit() {
        double speed = readingsPerSecond;
        if (maxQueueWaitNanos <= 0 || speed <= 0) {
            return flushReadingsMax;
        }
        return Math.min(flushReadingsMax, (long) (speed * maxQueueWaitNanos / 2e9));
    }

    private void write(List<PendingBatch> flush, int readings) {
        long started = System.nanoTime();
        try {
            List<PendingBatch> alreadyStored = store.write(flush, clock.instant());
            Instant committed = clock.instant();
            long took = System.nanoTime() - started;
            if (readings >= flushReadings && took > 0) {
                double speed = readings / (took / 1e9);
                double before = readingsPerSecond;
                readingsPerSecond = before <= 0 ? speed : 0.7 * before + 0.3 * speed;
            }
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

    private void expire(PendingBatch p) {
        try {
            listener.failed(List.of(p), new IllegalStateException("expired"));
        } catch (RuntimeException e) {
            log.warn("telemetry writer listener failed", e);
        }
        p.done().complete(new TelemetrySink.Outcome(TelemetrySink.Outcome.Status.FAILED, "expired"));
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
