package dev.fleetlet.hil.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AsyncLimiterTest {

    @Test
    void neverRunsMoreTasksAtOnceThanItsPermitsAndRunsThemAll() {
        // given
        AsyncLimiter limiter = new AsyncLimiter(3);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        List<CompletableFuture<Void>> gates = new ArrayList<>();
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        // when 10 tasks are submitted that finish only when released
        for (int i = 0; i < 10; i++) {
            int n = i;
            results.add(limiter.submit(() -> {
                maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                CompletableFuture<Void> gate = new CompletableFuture<>();
                synchronized (gates) {
                    gates.add(gate);
                }
                return gate.thenApply(v -> {
                    running.decrementAndGet();
                    return n;
                });
            }));
        }
        // then only 3 started; releasing them one by one lets the rest through
        assertThat(limiter.inFlight()).isEqualTo(3);
        for (int i = 0; i < 10; i++) {
            CompletableFuture<Void> gate;
            synchronized (gates) {
                gate = gates.get(i);
            }
            gate.complete(null);
        }
        assertThat(results).allSatisfy(f -> assertThat(f).isCompleted());
        assertThat(results.get(9).join()).isEqualTo(9);
        assertThat(maxRunning.get()).isEqualTo(3);
        assertThat(limiter.inFlight()).isZero();
    }

    @Test
    void aFailedTaskReleasesItsPermitAndFailsItsFuture() {
        AsyncLimiter limiter = new AsyncLimiter(1);
        CompletableFuture<String> failed = limiter.submit(() -> {
            throw new IllegalStateException("boom");
        });
        CompletableFuture<String> next = limiter.submit(() -> CompletableFuture.completedFuture("ran"));
        assertThat(failed).isCompletedExceptionally();
        assertThat(next.join()).isEqualTo("ran");
    }
}
