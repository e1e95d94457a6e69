package dev.fleetlet.agent.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.drivers.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PullProgressTest {

    @Test
    void letsAtMostOneReportThroughPerIntervalAndAlwaysTheLastOne() {
        MutableClock clock = MutableClock.at("2026-11-26T03:00:00Z");
        List<Long> seen = new ArrayList<>();
        PullProgress p = PullProgress.throttled((done, total, what) -> seen.add(done), clock, Duration.ofSeconds(2));

        for (long done = 64; done <= 6400; done += 64) { // 100 chunks, 50 ms apart: 5 s in all
            p.progress(done, 6400, "layer 1/1");
            clock.advance(Duration.ofMillis(50));
        }

        assertThat(seen).containsExactly(64L, 2624L, 5184L, 6400L);
    }

    @Test
    void repeatsNothingWhenNoBytesMovedAndReportsAnEmptyPullOnce() {
        MutableClock clock = MutableClock.at("2026-11-26T03:00:00Z");
        List<String> seen = new ArrayList<>();
        PullProgress p = PullProgress.throttled((done, total, what) -> seen.add(done + "/" + total), clock, Duration.ofSeconds(2));

        p.progress(0, 0, "all stored");
        p.progress(0, 0, "all stored");
        clock.advance(Duration.ofSeconds(5));
        p.progress(0, 0, "all stored");

        assertThat(seen).containsExactly("0/0");
        assertThat(PullProgress.throttled(PullProgress.NONE, clock, Duration.ofSeconds(2))).isSameAs(PullProgress.NONE);
    }
}
