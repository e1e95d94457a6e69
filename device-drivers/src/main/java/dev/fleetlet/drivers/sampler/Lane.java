package dev.fleetlet.drivers.sampler;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One sampling thread and the sensors scheduled on it. A lane whose thread is stuck in a driver is
 * {@linkplain #replace replaced}: the old executor is shut down (its thread is interrupted and
 * abandoned, Java cannot kill it) and a new single-thread executor continues the same schedule.
 */
final class Lane {

    private final String name;
    private final List<Sampler.Task> tasks = new ArrayList<>();
    final AtomicLong maxJitter = new AtomicLong();
    private ScheduledThreadPoolExecutor executor;
    private volatile Thread thread;
    private int generation;
    private boolean stopped;

    Lane(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    void add(Sampler.Task task) {
        tasks.add(task);
    }

    boolean isEmpty() {
        return tasks.isEmpty();
    }

    Thread thread() {
        return thread;
    }

    /** Starts the lane's thread and schedules every task at {@code start + k * interval}. */
    synchronized void start(long start) {
        executor = newExecutor();
        for (Sampler.Task t : tasks) {
            t.start = start;
            t.runs = 0;
            executor.scheduleAtFixedRate(t, 0, t.intervalNanos, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Abandons the current thread (stuck in a driver) and continues the schedule on a new one: every
     * task resumes at its next slot {@code start + k * interval} after now, so the skipped slots do not
     * run as a burst and do not count as jitter.
     *
     * @return false when the lane was already stopped
     */
    synchronized boolean replace() {
        if (stopped) {
            return false;
        }
        executor.shutdownNow();
        executor = newExecutor();
        long now = System.nanoTime();
        for (Sampler.Task t : tasks) {
            long k = Math.max(0, (now - t.start + t.intervalNanos - 1) / t.intervalNanos);
            t.runs = k;
            long delay = Math.max(0, t.start + k * t.intervalNanos - now);
            executor.scheduleAtFixedRate(t, delay, t.intervalNanos, TimeUnit.NANOSECONDS);
        }
        return true;
    }

    /** Stops scheduling; a running read may finish. */
    synchronized void shutdown() {
        stopped = true;
        if (executor != null) {
            executor.shutdown();
        }
    }

    /** Waits until the current thread ended; interrupts it when the deadline passes. */
    boolean awaitTermination(long deadlineNanos) throws InterruptedException {
        ScheduledThreadPoolExecutor current;
        synchronized (this) {
            current = executor;
        }
        if (current == null) {
            return true;
        }
        if (current.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            return true;
        }
        current.shutdownNow();
        return false;
    }

    private ScheduledThreadPoolExecutor newExecutor() {
        generation++;
        String threadName = generation == 1 ? name : name + "#" + generation;
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        e.setRemoveOnCancelPolicy(true);
        e.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        e.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        e.prestartCoreThread();
        return e;
    }
}
