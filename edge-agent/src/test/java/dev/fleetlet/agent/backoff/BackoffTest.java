package dev.fleetlet.agent.backoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesTheWindowUpToTheCap() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), bound -> bound);

        assertThat(b.next()).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.next()).isEqualTo(Duration.ofSeconds(2));
        assertThat(b.next()).isEqualTo(Duration.ofSeconds(4));
        assertThat(b.next()).isEqualTo(Duration.ofSeconds(8));
        assertThat(b.next()).isEqualTo(Duration.ofSeconds(16));
        assertThat(b.next()).isEqualTo(Duration.ofSeconds(30));
        for (int i = 0; i < 100; i++) {
            assertThat(b.next()).isEqualTo(Duration.ofSeconds(30));
        }
    }

    @Test
    void resetStartsAgainFromTheFirstWindow() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), bound -> bound);
        b.next();
        b.next();
        b.reset();

        assertThat(b.next()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void spreadsDelaysOverTheWholeWindow() {
        Backoff b = Backoff.withJitter(Duration.ofSeconds(60), Duration.ofSeconds(60));
        Set<Long> tenSecondBuckets = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            Duration d = b.next();
            assertThat(d).isBetween(Duration.ZERO, Duration.ofSeconds(60));
            tenSecondBuckets.add(d.toSeconds() / 10);
        }
        assertThat(tenSecondBuckets).hasSizeGreaterThanOrEqualTo(6);
    }

    @Test
    void rejectsACapBelowTheInitialWindow() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(1), b -> b))
                .hasMessageContaining("expected 0 < initial <= cap");
    }
}
