package dev.fleetlet.hil.sim.internal;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs asynchronous tasks with at most {@code permits} of them in flight, without blocking a thread
 * while waiting: a task starts when an earlier one's future completes. Tasks start in submission order.
 */
public final class AsyncLimiter {

    private final int permits;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();

    public AsyncLimiter(int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits: must be at least 1, was " + permits);
        }
        this.permits = permits;
    }

    /** Submits a task; the returned future completes as the task's future does. */
    public <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        waiting.add(() -> {
            CompletableFuture<T> f;
            try {
                f = task.get();
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            f.whenComplete((v, e) -> {
                inFlight.decrementAndGet();
                drain();
                if (e != null) {
                    result.completeExceptionally(e);
                } else {
                    result.complete(v);
                }
            });
        });
        drain();
        return result;
    }

    /** Tasks running now. */
    public int inFlight() {
        return inFlight.get();
    }

    private void drain() {
        while (true) {
            int now = inFlight.get();
            if (now >= permits || waiting.isEmpty()) {
                return;
            }
            if (!inFlight.compareAndSet(now, now + 1)) {
                continue;
            }
            Runnable next = waiting.poll();
            if (next == null) {
                inFlight.decrementAndGet();
                continue;
            }
            next.run();
        }
    }
}
