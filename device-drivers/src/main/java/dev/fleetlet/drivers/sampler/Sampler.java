package dev.fleetlet.drivers.sampler;

import dev.fleetlet.drivers.Reading;
import dev.fleetlet.drivers.Sensor;
import dev.fleetlet.drivers.config.SensorSpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples every sensor at its configured interval on one scheduler thread ({@code fleetlet-sampler}),
 * applies the calibration offsets of its spec, and hands each reading to a {@link ReadingSink}.
 *
 * <p>Isolation: a sensor that throws (breaking the {@link Sensor} contract) yields one failed
 * {@code driver} reading and stays scheduled; a sink that throws is logged and skipped. Neither
 * affects other sensors, except that a sensor which blocks delays the others on the shared thread —
 * that shows up as jitter in {@link #stats()}. Per sample the sampler itself allocates nothing beyond
 * the offset-corrected readings (readings without an offset are passed on as they are).
 *
 * <p>Jitter is the lateness of each run against its ideal time {@code start + k * interval}.
 */
public final class Sampler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Sampler.class);

    /** Receives every reading, on the sampler thread. Must not block for long. */
    @FunctionalInterface
    public interface ReadingSink {
        void accept(Reading reading);
    }

    /** A sensor with the spec it was built from (interval, offsets). */
    public record Entry(SensorSpec spec, Sensor sensor) {
    }

    /**
     * @param samples        sensor runs so far
     * @param readings       readings delivered so far
     * @param driverFailures runs in which a driver threw
     * @param maxJitterNanos largest lateness of a run against its scheduled time
     */
    public record Stats(long samples, long readings, long driverFailures, long maxJitterNanos) {
    }

    private final List<Task> tasks = new ArrayList<>();
    private final ReadingSink sink;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor executor;
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong readings = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong maxJitter = new AtomicLong();
    private volatile Thread thread;
    private boolean started;

    public Sampler(List<Entry> entries, ReadingSink sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
        for (Entry e : entries) {
            tasks.add(new Task(e.spec(), e.sensor()));
        }
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "fleetlet-sampler");
            t.setDaemon(true);
            thread = t;
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Starts sampling: every sensor's first sample is due now. Call once. */
    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("sampler already started");
        }
        started = true;
        long start = System.nanoTime();
        for (Task t : tasks) {
            t.start = start;
            executor.scheduleAtFixedRate(t, 0, t.intervalNanos, TimeUnit.NANOSECONDS);
        }
        log.info("sampler started sensors={}", tasks.size());
    }

    public Stats stats() {
        return new Stats(samples.get(), readings.get(), failures.get(), maxJitter.get());
    }

    /** The sampler thread once started (for per-thread CPU and allocation accounting), else {@code null}. */
    public Thread thread() {
        return thread;
    }

    /** Stops sampling and waits up to 5 s for a running sample to finish. Does not close the sensors. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("sampler did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Task implements Runnable {
        private final SensorSpec spec;
        private final Sensor sensor;
        private final long intervalNanos;
        private final boolean hasOffsets;
        private long start;
        private long runs;
        private boolean warned;

        Task(SensorSpec spec, Sensor sensor) {
            this.spec = spec;
            this.sensor = sensor;
            this.intervalNanos = spec.interval().toNanos();
            this.hasOffsets = spec.offsets().values().stream().anyMatch(d -> d != 0.0);
        }

        @Override
        public void run() {
            long lateness = System.nanoTime() - (start + runs * intervalNanos);
            runs++;
            if (lateness > maxJitter.get()) {
                maxJitter.accumulateAndGet(lateness, Math::max);
            }
            samples.incrementAndGet();
            List<Reading> out;
            try {
                out = sensor.sample();
            } catch (RuntimeException | Error e) {
                if (e instanceof VirtualMachineError vme) {
                    throw vme;
                }
                failures.incrementAndGet();
                if (!warned) {
                    warned = true;
                    log.warn("sensor broke its contract and threw sensor={} error={}", spec.name(), e.toString());
                }
                deliver(Reading.failed(spec.name(), "driver", "1", clock.instant(), "driver threw " + e));
                return;
            }
            for (int i = 0, n = out.size(); i < n; i++) {
                Reading r = out.get(i);
                if (hasOffsets) {
                    double offset = spec.offset(r.quantity());
                    if (offset != 0.0 && !Double.isNaN(r.value())) {
                        r = new Reading(r.sensor(), r.quantity(), r.unit(), r.value() + offset, r.timestamp(), r.quality());
                    }
                }
                deliver(r);
            }
        }

        private void deliver(Reading r) {
            readings.incrementAndGet();
            try {
                sink.accept(r);
            } catch (RuntimeException e) {
                log.warn("reading sink failed sensor={} quantity={} error={}", r.sensor(), r.quantity(), e.toString());
            }
        }
    }
}
