package dev.fleetlet.agent.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WatchdogTest {

    /** Counts watchdog pings; the watchdog period is given. */
    private static final class CountingNotifier implements ServiceNotifier {
        final AtomicInteger pings = new AtomicInteger();
        final Optional<Duration> interval;

        CountingNotifier(Optional<Duration> interval) {
            this.interval = interval;
        }

        @Override
        public void ready() {
        }

        @Override
        public void watchdog() {
            pings.incrementAndGet();
        }

        @Override
        public void status(String text) {
        }

        @Override
        public void stopping() {
        }

        @Override
        public Optional<Duration> watchdogInterval() {
            return interval;
        }
    }

    @Test
    void pingsOnlyWhileTheAgentIsHealthy() {
        // given
        CountingNotifier notifier = new CountingNotifier(Optional.of(Duration.ofSeconds(30)));
        AtomicBoolean healthy = new AtomicBoolean(true);
        Watchdog watchdog = new Watchdog(notifier, healthy::get);

        // when / then
        watchdog.tick();
        assertThat(notifier.pings).hasValue(1);
        healthy.set(false);
        watchdog.tick();
        watchdog.tick();
        assertThat(notifier.pings).as("withheld while unhealthy").hasValue(1);
        healthy.set(true);
        watchdog.tick();
        assertThat(notifier.pings).hasValue(2);
    }

    @Test
    void aThrowingHealthCheckCountsAsUnhealthy() {
        CountingNotifier notifier = new CountingNotifier(Optional.of(Duration.ofSeconds(30)));
        Watchdog watchdog = new Watchdog(notifier, () -> {
            throw new IllegalStateException("queue closed");
        });

        watchdog.tick();

        assertThat(notifier.pings).hasValue(0);
    }

    @Test
    void schedulesPingsAtTheIntervalAndNothingWithoutAWatchdog() {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            CountingNotifier withWatchdog = new CountingNotifier(Optional.of(Duration.ofMillis(20)));
            CountingNotifier without = new CountingNotifier(Optional.empty());

            assertThat(Watchdog.schedule(without, () -> true, timer)).isEmpty();
            assertThat(Watchdog.schedule(withWatchdog, () -> true, timer)).isPresent();

            await().atMost(Duration.ofSeconds(5)).until(() -> withWatchdog.pings.get() >= 3);
            assertThat(without.pings).hasValue(0);
        } finally {
            timer.shutdownNow();
        }
    }
}
