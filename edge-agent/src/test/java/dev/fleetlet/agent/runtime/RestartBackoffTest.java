package dev.fleetlet.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetlet.drivers.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final RestartBackoff backoff = new RestartBackoff(RestartPolicy.ON_FAILURE,
            Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(5), clock);

    private Duration crashAfter(Duration uptime) {
        backoff.started();
        clock.advance(uptime);
        Instant now = clock.instant();
        return Duration.between(now, backoff.exited(1).orElseThrow());
    }

    @Test
    void doublesTheDelayPerCrashUpToTheCap() {
        assertThat(crashAfter(Duration.ofSeconds(2))).hasSeconds(1);
        assertThat(crashAfter(Duration.ofSeconds(2))).hasSeconds(2);
        assertThat(crashAfter(Duration.ofSeconds(2))).hasSeconds(4);
        assertThat(crashAfter(Duration.ofSeconds(2))).hasSeconds(8);
        assertThat(crashAfter(Duration.ofSeconds(2))).hasSeconds(16);
        assertThat(crashAfter(Duration.ofSeconds(2))).hasSeconds(30);
        assertThat(crashAfter(Duration.ofSeconds(2))).hasSeconds(30);
    }

    @Test
    void neverLatchesHoweverManyCrashes() {
        for (int i = 0; i < 1000; i++) {
            assertThat(crashAfter(Duration.ofMillis(100))).isLessThanOrEqualTo(Duration.ofSeconds(30));
        }
        assertThat(backoff.consecutiveCrashes()).isEqualTo(1000);
    }

    @Test
    void resetsAfterAHealthyPeriod() {
        crashAfter(Duration.ofSeconds(1));
        crashAfter(Duration.ofSeconds(1));
        crashAfter(Duration.ofSeconds(1));

        Duration afterHealthyRun = crashAfter(Duration.ofMinutes(6));

        assertThat(afterHealthyRun).hasSeconds(1);
        assertThat(backoff.consecutiveCrashes()).isEqualTo(1);
    }

    @Test
    void policiesDecideWhetherToRestart() {
        backoff.started();
        assertThat(backoff.exited(0)).as("on-failure ignores a clean exit").isEqualTo(Optional.empty());
        RestartBackoff always = new RestartBackoff(RestartPolicy.ALWAYS, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMinutes(1), clock);
        always.started();
        assertThat(always.exited(0)).isPresent();
        RestartBackoff never = new RestartBackoff(RestartPolicy.NEVER, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMinutes(1), clock);
        never.started();
        assertThat(never.exited(137)).isEmpty();
    }

    @Test
    void rejectsAnInitialDelayAboveTheCap() {
        assertThatThrownBy(() -> new RestartBackoff(RestartPolicy.ALWAYS, Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(1), clock))
                .hasMessageContaining("0 < initial <= max");
    }
}
