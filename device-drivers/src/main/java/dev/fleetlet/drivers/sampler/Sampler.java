package dev.fleetlet.drivers.sampler;

import dev.fleetlet.drivers.Reading;
import dev.fleetlet.drivers.Sensor;
import dev.fleetlet.drivers.config.SensorSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples every sensor at its configured interval, applies the calibration offsets of its spec, and
 * hands each reading to a {@link ReadingSink}.
 *
 * <p>Lanes: a sensor whose {@link Sensor#expectedReadTime()} is at least {@link Options#slowThreshold()}
 * (50 ms by default: DS18B20, DHT22, an ADS1115 at a low data rate) runs on the slow lane thread
 * ({@code fleetlet-sampler-slow}); all others on the fast lane ({@code fleetlet-sampler}). A slow read
 * therefore never delays a fast sensor; slow sensors may delay each other. Each lane runs its sensors
 * one at a time, so every sensor is called from one thread at a time and its readings arrive in order.
 * The slow lane thread exists only when a slow sensor is configured.
 *
 * <p>Hung drivers: a watchdog thread ({@code fleetlet-sampler-watchdog}) checks in-flight reads. It is not
 * periodic: it sleeps until the earliest moment a read could time out (an in-flight read's start plus its
 * timeout, or an idle sensor's next scheduled start plus its timeout), but at least a quarter of the smallest
 * timeout: sensors sampled every second with the default 1 s timeout wake it once a second (not 4 times), a hung
 * read is reported at most 25 % late, and sensors sampled faster share one check per quarter timeout. A read
 * that takes longer than {@code max(timeoutMultiple × expectedReadTime, minTimeout)} yields one failed
 * {@code driver} reading "read timed out after N ms" for that sample; its lane thread is then
 * abandoned (interrupted, but Java cannot stop a thread blocked in the kernel) and counted in
 * {@link Stats#abandonedThreads()}, and a new thread continues the lane's schedule. Until the stuck
 * read returns, that sensor's samples are failed "read timed out" readings without touching the
 * driver; the late result of the stuck read is discarded. Other sensors of the lane are delayed at
 * most by the timeout, once.
 *
 * <p>Isolation: a sensor that throws (breaking the {@link Sensor} contract) yields one failed
 * {@code driver} reading and stays scheduled; a sink that throws is logged and skipped. Per sample the
 * sampler itself allocates nothing beyond the offset-corrected readings (readings without an offset
 * are passed on as they are).
 *
 * <p>Jitter is the lateness of each run against its ideal time {@code start + k * interval}, per lane.
 */
public final class Sampler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Sampler.class);

    /**
     * Receives every reading. Called from the lane threads and the watchdog, possibly concurrently,
     * so it must be thread-safe; must not block for long (it delays the lane that delivers).
     */
    @FunctionalInterface
    public interface ReadingSink {
        void accept(Reading reading);
    }

    /** A sensor with the spec it was built from (interval, offsets). */
    public record Entry(SensorSpec spec, Sensor sensor) {
    }

    /**
     * How sensors are split into lanes and when a read counts as hung.
     *
     * @param slowThreshold   a sensor whose expected read time is at least this runs on the slow lane (default 50 ms)
     * @param timeoutMultiple a read is timed out after this many expected read times (default 4) ...
     * @param minTimeout      ... but never before this (default 1 s; also the timeout of sensors expecting 0)
     * @param closeTimeout    how long {@link #close()} waits for in-flight reads (default 5 s)
     */
    public record Options(Duration slowThreshold, int timeoutMultiple, Duration minTimeout, Duration closeTimeout) {

        public static final Options DEFAULTS = new Options(Duration.ofMillis(50), 4, Duration.ofSeconds(1),
                Duration.ofSeconds(5));

        public Options {
            positive("slowThreshold", slowThreshold);
            positive("minTimeout", minTimeout);
            positive("closeTimeout", closeTimeout);
            if (timeoutMultiple < 1) {
                throw new IllegalArgumentException("timeoutMultiple: must be at least 1, got " + timeoutMultiple);
            }
        }

        private static void positive(String field, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(field + ": must be a positive duration, got " + d);
            }
        }
    }

    /**
     * @param samples             sensor runs so far
     * @param readings            readings delivered so far
     * @param driverFailures      runs in which a driver threw
     * @param maxJitterNanos      largest lateness of a run against its scheduled time, over both lanes
     * @param fastMaxJitterNanos  the same on the fast lane
     * @param slowMaxJitterNanos  the same on the slow lane (0 without slow sensors)
     * @param timeouts            samples reported as "read timed out" (the hung read and the samples while it stayed stuck)
     * @param abandonedThreads    lane threads left behind in a hung driver and replaced
     */
    public record Stats(long samples, long readings, long driverFailures, long maxJitterNanos,
                        long fastMaxJitterNanos, long slowMaxJitterNanos, long timeouts, long abandonedThreads) {
    }

    private static final int IDLE = 0;
    private static final int READING = 1;
    private static final int TIMED_OUT = 2;

    private final List<Task> tasks = new ArrayList<>();
    private final Lane fast = new Lane("fleetlet-sampler");
    private final Lane slow = new Lane("fleetlet-sampler-slow");
    private final ReadingSink sink;
    private final Clock clock;
    private final Options options;
    private final ScheduledThreadPoolExecutor watchdog;
    private final long minCheckDelayNanos;
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong readings = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong timeouts = new AtomicLong();
    private final AtomicLong abandoned = new AtomicLong();
    private volatile boolean closed;
    private boolean started;

    /** A sampler with {@link Options#DEFAULTS}. */
    public Sampler(List<Entry> entries, ReadingSink sink, Clock clock) {
        this(entries, sink, clock, Options.DEFAULTS);
    }

    /**
     * @throws IllegalArgumentException when a sensor's expected read time is null or negative (names the sensor)
     */
    public Sampler(List<Entry> entries, ReadingSink sink, Clock clock, Options options) {
        this.sink = sink;
        this.clock = clock;
        this.options = options;
        long minTimeout = options.minTimeout().toNanos();
        for (Entry e : entries) {
            Duration expected = e.sensor().expectedReadTime();
            if (expected == null || expected.isNegative()) {
                throw new IllegalArgumentException("sensors[" + e.spec().name() + "].expectedReadTime: must be zero or positive, got " + expected);
            }
            Lane lane = expected.compareTo(options.slowThreshold()) >= 0 ? slow : fast;
            long timeout = Math.max(minTimeout, saturatedMultiply(expected.toNanos(), options.timeoutMultiple()));
            Task t = new Task(e.spec(), e.sensor(), lane, timeout);
            tasks.add(t);
            lane.add(t);
        }
        // Never more often than every quarter of the smallest timeout (5 ms..1 s): sensors sampled faster than that
        // are checked together, and a hung read is then reported at most 25 % late
        this.minCheckDelayNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(5),
                Math.min(TimeUnit.SECONDS.toNanos(1), minTimeout / 4));
        this.watchdog = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "fleetlet-sampler-watchdog");
            t.setDaemon(true);
            return t;
        });
        watchdog.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    private static long saturatedMultiply(long a, int b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return hi == 0 && lo >= 0 ? lo : Long.MAX_VALUE;
    }

    /** Starts sampling: every sensor's first sample is due now. Call once. */
    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("sampler already started");
        }
        started = true;
        long start = System.nanoTime();
        for (Lane lane : List.of(fast, slow)) {
            if (!lane.isEmpty()) {
                lane.start(start);
            }
        }
        scheduleWatchdog(System.nanoTime());
        log.info("sampler started sensors={} slowSensors={}", tasks.size(),
                tasks.stream().filter(t -> t.lane == slow).count());
    }

    public Stats stats() {
        long f = fast.maxJitter.get();
        long s = slow.maxJitter.get();
        return new Stats(samples.get(), readings.get(), failures.get(), Math.max(f, s), f, s, timeouts.get(), abandoned.get());
    }

    /** The fast lane's current thread once started (for per-thread CPU and allocation accounting), else {@code null}. */
    public Thread thread() {
        return fast.thread();
    }

    /** The slow lane's current thread once started, {@code null} without slow sensors or before start. */
    public Thread slowThread() {
        return slow.thread();
    }

    /**
     * Stops sampling and waits up to {@link Options#closeTimeout()} for in-flight reads to finish;
     * after that their threads are interrupted and left behind, and their results are dropped. No
     * reading is delivered after close returns. Does not close the sensors.
     */
    @Override
    public void close() {
        closed = true;
        watchdog.shutdownNow();
        fast.shutdown();
        slow.shutdown();
        long deadline = System.nanoTime() + options.closeTimeout().toNanos();
        try {
            for (Lane lane : List.of(fast, slow)) {
                if (!lane.awaitTermination(deadline)) {
                    log.warn("sampler lane did not stop in time lane={} timeoutMs={}", lane.name(), options.closeTimeout().toMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One watchdog run: reports reads past their timeout, then sleeps until the next moment one could be. */
    private void watch() {
        try {
            checkTimeouts();
        } finally {
            scheduleWatchdog(System.nanoTime());
        }
    }

    private void scheduleWatchdog(long now) {
        if (closed || tasks.isEmpty()) {
            return;
        }
        try {
            watchdog.schedule(this::watch, nextCheckDelay(now), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    /**
     * Nanoseconds until the earliest moment a read can exceed its timeout: for a read in flight its start plus its
     * timeout; for an idle sensor its next scheduled start (now, if that is overdue) plus its timeout. A sensor whose
     * read already timed out is not watched again until that read returns (its samples meanwhile are reported by the
     * lane without touching the driver). At least a quarter of the smallest timeout, so sensors sampled faster than
     * that do not wake the watchdog at their own rate.
     */
    long nextCheckDelay(long now) {
        long earliest = Long.MAX_VALUE;
        for (int i = 0, n = tasks.size(); i < n; i++) {
            Task t = tasks.get(i);
            // runs before state: the lane sets READING and then counts the run, so a count read first belongs to
            // the state read after it or an older one (the current slot), never to the next slot while this read
            // is still IDLE — which would put off the check of a read that has just started by one interval
            long runs = t.runs;
            int state = t.state.get();
            long deadline;
            if (state == READING) {
                deadline = t.readStart + t.timeoutNanos;
            } else if (state == IDLE) {
                long next = t.start + runs * t.intervalNanos;
                deadline = (next - now < 0 ? now : next) + t.timeoutNanos;
            } else {
                // TIMED_OUT: once its stuck read returns (IDLE) the next run is watched again; look again after
                // one interval
                deadline = now + t.intervalNanos;
            }
            earliest = Math.min(earliest, deadline - now);
        }
        return Math.max(minCheckDelayNanos, earliest);
    }

    /** Reports reads that exceed their timeout and replaces the stuck lane's thread. */
    private void checkTimeouts() {
        long now = System.nanoTime();
        for (int i = 0, n = tasks.size(); i < n; i++) {
            Task t = tasks.get(i);
            if (t.state.get() != READING) {
                continue;
            }
            long readStart = t.readStart;
            if (now - readStart <= t.timeoutNanos || !t.state.compareAndSet(READING, TIMED_OUT)) {
                continue;
            }
            timeouts.incrementAndGet();
            long ms = TimeUnit.NANOSECONDS.toMillis(t.timeoutNanos);
            log.warn("sensor read timed out sensor={} lane={} timeoutMs={}; abandoning the lane thread",
                    t.spec.name(), t.lane.name(), ms);
            t.deliver(Reading.failed(t.spec.name(), "driver", "1", clock.instant(), "read timed out after " + ms + " ms"));
            if (t.lane.replace()) {
                abandoned.incrementAndGet();
            }
        }
    }

    final class Task implements Runnable {
        private final SensorSpec spec;
        private final Sensor sensor;
        private final Lane lane;
        private final long timeoutNanos;
        private final boolean hasOffsets;
        final long intervalNanos;
        /** Set by the lane before scheduling (happens-before via the executor). */
        long start;
        /** Runs so far: the next run is due at {@code start + runs * interval}; read by the watchdog. */
        volatile long runs;
        private final AtomicInteger state = new AtomicInteger(IDLE);
        private volatile long readStart;
        private boolean warned;

        Task(SensorSpec spec, Sensor sensor, Lane lane, long timeoutNanos) {
            this.spec = spec;
            this.sensor = sensor;
            this.lane = lane;
            this.timeoutNanos = timeoutNanos;
            this.intervalNanos = spec.interval().toNanos();
            this.hasOffsets = spec.offsets().values().stream().anyMatch(d -> d != 0.0);
        }

        @Override
        public void run() {
            long now = System.nanoTime();
            long lateness = now - (start + runs * intervalNanos);
            if (lateness > lane.maxJitter.get()) {
                lane.maxJitter.accumulateAndGet(lateness, Math::max);
            }
            samples.incrementAndGet();
            // Only this lane's thread moves a task out of IDLE, so readStart is set before the watchdog can see READING.
            if (state.get() == IDLE) {
                readStart = now;
            }
            boolean reading = state.compareAndSet(IDLE, READING);
            // counted only now: the watchdog sees this run either as due (IDLE, old count) or in flight (READING)
            runs++;
            if (!reading) {
                // The previous read is still stuck in the driver (on an abandoned thread).
                timeouts.incrementAndGet();
                deliver(Reading.failed(spec.name(), "driver", "1", clock.instant(), "read timed out after "
                        + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms (driver still blocked)"));
                return;
            }
            List<Reading> out;
            try {
                out = sensor.sample();
            } catch (RuntimeException | Error e) {
                if (!state.compareAndSet(READING, IDLE)) {
                    state.set(IDLE);
                    return;
                }
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
            if (!state.compareAndSet(READING, IDLE)) {
                // Timed out meanwhile: that sample was reported already; drop the late result.
                state.set(IDLE);
                log.info("hung sensor read returned late, result dropped sensor={}", spec.name());
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
            if (closed) {
                return;
            }
            readings.incrementAndGet();
            try {
                sink.accept(r);
            } catch (RuntimeException e) {
                log.warn("reading sink failed sensor={} quantity={} error={}", r.sensor(), r.quantity(), e.toString());
            }
        }
    }
}
