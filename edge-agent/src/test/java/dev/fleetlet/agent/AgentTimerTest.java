package dev.fleetlet.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AgentTimerTest {

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void runsChoresThatFallDueTogetherInOneWakeUp() {
        // given a fast chore and one every fifth of its runs
        AgentTimer timer = new AgentTimer(executor);
        List<String> runs = new CopyOnWriteArrayList<>();
        timer.every(Duration.ofMillis(100), "flush", () -> runs.add("flush@" + timer.wakeUps()))
                .every(Duration.ofMillis(500), "sync", () -> runs.add("sync@" + timer.wakeUps()));

        // when it runs for more than a second
        timer.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> runs.stream().filter(r -> r.startsWith("sync")).count() >= 2);

        // then the slow chore always ran in a wake-up of the fast one, and there was no other wake-up
        List<String> syncs = runs.stream().filter(r -> r.startsWith("sync")).toList();
        assertThat(syncs).allSatisfy(s -> assertThat(runs).contains(s.replace("sync", "flush")));
        long flushes = runs.stream().filter(r -> r.startsWith("flush")).count();
        assertThat(timer.wakeUps()).isBetween(flushes, flushes + 1);
    }

    @Test
    void keepsAChoreScheduledAfterItThrows() {
        // given a chore that fails every time
        AgentTimer timer = new AgentTimer(executor);
        AtomicInteger calls = new AtomicInteger();
        timer.every(Duration.ofMillis(20), "broken", () -> {
            calls.incrementAndGet();
            throw new IllegalStateException("disk gone");
        });

        // when it has failed once, then it is called again
        timer.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() >= 3);
    }

    @Test
    void aChoreThatThrowsAnErrorStopsNeitherItselfNorTheOtherChores() {
        // given a chore that fails with an Error (a class a driver needs is missing, say) next to a healthy one
        AgentTimer timer = new AgentTimer(executor);
        AtomicInteger broken = new AtomicInteger();
        AtomicInteger beats = new AtomicInteger();
        timer.every(Duration.ofMillis(20), "broken", () -> {
            broken.incrementAndGet();
            throw new NoClassDefFoundError("com/example/MissingDriver");
        }).every(Duration.ofMillis(20), "beat", beats::incrementAndGet);

        // when / then: both keep running after the first failure
        timer.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> broken.get() >= 3 && beats.get() >= 3);
    }

    @Test
    void rejectsAPeriodThatIsNotPositiveNamingTheChore() {
        AgentTimer timer = new AgentTimer(executor);

        assertThatThrownBy(() -> timer.every(Duration.ZERO, "batch-flush", () -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("batch-flush: period must be positive, got PT0S");
    }
}
