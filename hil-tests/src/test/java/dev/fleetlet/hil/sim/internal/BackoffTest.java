package dev.fleetlet.hil.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));

    @Test
    void capDoublesPerAttemptUpToTheMaximum() {
        assertThat(backoff.capMillis(0)).isEqualTo(500);
        assertThat(backoff.capMillis(1)).isEqualTo(1000);
        assertThat(backoff.capMillis(5)).isEqualTo(16_000);
        assertThat(backoff.capMillis(6)).isEqualTo(30_000);
        assertThat(backoff.capMillis(1000)).isEqualTo(30_000);
    }

    @Test
    void delaysAreJitteredWithinTheUpperHalfOfTheCap() {
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            long d = backoff.delayMillis(3);
            assertThat(d).isBetween(2000L, 4000L);
            seen.add(d);
        }
        assertThat(seen.size()).isGreaterThan(50);
    }

    @Test
    void refusesAMaximumBelowTheInitialDelay() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max");
    }
}
