package dev.fleetlet.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's periodic chores (batch flush, queue fsync, health sample, systemd progress beat) as one chain of
 * one-shot tasks on the agent timer thread instead of one fixed-rate task each: every chore is due at
 * {@code start + k × its period}, from one common start, and all chores due within {@link #COALESCE} of the earliest
 * run in the same wake-up. With a 1 s batch interval the thread wakes once a second (the 5 s and 15 s chores ride
 * along) instead of ~1.5 times: an idle agent's CPU is mostly the cost of its wake-ups (docs/benchmarks.md "agent").
 *
 * <p>A chore that throws (an {@link Error} too) is logged and stays scheduled (a fixed-rate task would silently stop),
 * and the other chores go on; a chore that blocks
 * delays the others, which is what the systemd watchdog's beat is there to notice. Missed runs are not caught up.
 */
final class AgentTimer {

    /** Chores due this close together run in one wake-up. */
    static final Duration COALESCE = Duration.ofMillis(50);

    private static final Logger log = LoggerFactory.getLogger(AgentTimer.class);

    private final ScheduledExecutorService executor;
    private final List<Chore> chores = new ArrayList<>();
    private volatile long wakeUps;
    private volatile boolean started;

    private static final class Chore {
        final String name;
        final long periodNanos;
        final Runnable action;
        long next;

        Chore(String name, long periodNanos, Runnable action) {
            this.name = name;
            this.periodNanos = periodNanos;
            this.action = action;
        }
    }

    AgentTimer(ScheduledExecutorService executor) {
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /**
     * Adds a chore run every {@code period}, first one period after {@link #start()}. Only before start.
     *
     * @throws IllegalArgumentException for a period that is not positive (names the chore)
     */
    synchronized AgentTimer every(Duration period, String name, Runnable action) {
        if (started) {
            throw new IllegalStateException("agent timer already started");
        }
        if (period == null || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException(name + ": period must be positive, got " + period);
        }
        chores.add(new Chore(name, period.toNanos(), Objects.requireNonNull(action, name)));
        return this;
    }

    /** Schedules the first wake-up; returns at once. */
    synchronized void start() {
        if (started || chores.isEmpty()) {
            return;
        }
        started = true;
        long now = System.nanoTime();
        for (Chore c : chores) {
            c.next = now + c.periodNanos;
        }
        schedule(now);
    }

    /** Times the timer thread woke up for the chores (for tests and measurements). */
    long wakeUps() {
        return wakeUps;
    }

    private synchronized void tick() {
        wakeUps++;
        long now = System.nanoTime();
        long horizon = now + COALESCE.toNanos();
        try {
            for (Chore c : chores) {
                if (c.next - horizon > 0) {
                    continue;
                }
                try {
                    c.action.run();
                } catch (RuntimeException e) {
                    log.error("agent timer chore failed chore={} error={}", c.name, e.toString());
                } catch (Error e) {
                    // logged here (the executor would keep it in a future nobody reads); the chores due after it run
                    // in the next wake-up, which the finally below schedules: one chore's Error must not end them all
                    log.error("agent timer chore failed chore={} error={}", c.name, e.toString(), e);
                    throw e;
                } finally {
                    c.next += c.periodNanos;
                    if (c.next - now <= 0) { // missed runs (a long stall): the next one from now on, no catching up
                        long behind = now - c.next;
                        c.next += (behind / c.periodNanos + 1) * c.periodNanos;
                    }
                }
            }
        } finally {
            schedule(System.nanoTime());
        }
    }

    private void schedule(long now) {
        long earliest = Long.MAX_VALUE;
        for (Chore c : chores) {
            earliest = Math.min(earliest, c.next - now);
        }
        try {
            executor.schedule(this::tick, Math.max(0, earliest), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // the executor is shut down: the agent is stopping
        }
    }
}
