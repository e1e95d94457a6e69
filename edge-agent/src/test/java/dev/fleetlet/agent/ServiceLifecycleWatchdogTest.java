package dev.fleetlet.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetlet.drivers.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceLifecycleWatchdogTest {

    private static final Duration PING = Duration.ofMillis(100);

    @TempDir
    java.nio.file.Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));

    @Test
    void stopsPingingWhenARequiredThreadDies() throws Exception {
        // given a running agent whose required worker thread is alive
        FakeNotifyCommand notify = new FakeNotifyCommand(dir);
        CountDownLatch release = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "test-required-worker");
        worker.start();
        try (ServiceLifecycle lifecycle = new ServiceLifecycle(notify.notifier(Optional.of(PING)), clock)) {
            lifecycle.configured();
            lifecycle.running("pi-01", List.of("test-required-worker"));
            await().atMost(Duration.ofSeconds(10)).until(() -> notify.count("WATCHDOG=1") >= 3);

            // when the worker dies
            release.countDown();
            worker.join();

            // then the pings stop (after at most one that was already under way)
            long atDeath = notify.count("WATCHDOG=1");
            await().pollDelay(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(notify.count("WATCHDOG=1")).isLessThanOrEqualTo(atDeath + 1));
            assertThat(lifecycle.healthy()).isFalse();
        }
    }

    @Test
    void stopsPingingWhenTheAgentTimerMakesNoProgressAndResumesWhenItDoes() throws Exception {
        // given a running agent, pinging
        FakeNotifyCommand notify = new FakeNotifyCommand(dir);
        try (ServiceLifecycle lifecycle = new ServiceLifecycle(notify.notifier(Optional.of(PING)), clock)) {
            lifecycle.configured();
            lifecycle.running("pi-01", List.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> notify.count("WATCHDOG=1") >= 2);

            // when no beat comes for longer than the watchdog interval plus one beat period
            clock.advance(PING.plus(ServiceLifecycle.BEAT_PERIOD).plusMillis(1));

            // then no more pings
            assertThat(lifecycle.healthy()).isFalse();
            long stale = notify.count("WATCHDOG=1");
            await().pollDelay(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(notify.count("WATCHDOG=1")).isLessThanOrEqualTo(stale + 1));
            long withheld = notify.count("WATCHDOG=1");

            // and when the timer beats again the pings resume
            lifecycle.beat();
            await().atMost(Duration.ofSeconds(10)).until(() -> notify.count("WATCHDOG=1") >= withheld + 2);
        }
    }

    @Test
    void pingsDuringEnrollmentBeforeAnythingElseRuns() throws Exception {
        FakeNotifyCommand notify = new FakeNotifyCommand(dir);
        try (ServiceLifecycle lifecycle = new ServiceLifecycle(notify.notifier(Optional.of(PING)), clock)) {
            lifecycle.configured();
            lifecycle.enrolling();
            clock.advance(Duration.ofHours(3));

            await().atMost(Duration.ofSeconds(10)).until(() -> notify.count("WATCHDOG=1") >= 2);
            assertThat(notify.messages()).first().isEqualTo("READY=1");
        }
    }

    @Test
    void reportsConnectionStagesAndSendsStoppingAtShutdown() throws Exception {
        // given
        FakeNotifyCommand notify = new FakeNotifyCommand(dir);
        try (ServiceLifecycle lifecycle = new ServiceLifecycle(notify.notifier(Optional.empty()), clock)) {
            lifecycle.configured();
            lifecycle.running("pi-01", List.of());

            // when
            lifecycle.connected();
            lifecycle.disconnected("connection lost");
            lifecycle.stopping();

            // then STOPPING=1 has been sent when stopping() returns, after the stages, in order
            assertThat(notify.messages()).containsExactly("READY=1", "STATUS=starting",
                    "STATUS=running, connecting to the broker deviceId=pi-01", "STATUS=connected deviceId=pi-01",
                    "STATUS=offline, retrying the broker deviceId=pi-01 reason=connection lost", "STOPPING=1");
        }
    }
}
