package dev.fleetlet.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DashboardSessionsTest {

    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-25T10:00:00Z"));
    final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    @Test
    void endsASessionAfterTheIdleTimeoutButKeepsAnActiveOne() {
        DashboardSessions sessions = new DashboardSessions(clock, Duration.ofMinutes(30), Duration.ofHours(24), 100);
        DashboardSessions.Session active = sessions.create("ann");
        DashboardSessions.Session idle = sessions.create("bob");
        for (int i = 0; i < 3; i++) {
            now.set(now.get().plus(Duration.ofMinutes(20)));
            assertThat(sessions.find(active.id())).isPresent();
        }
        assertThat(sessions.find(idle.id())).isEmpty();
    }

    @Test
    void endsEverySessionAtItsMaximumAge() {
        DashboardSessions sessions = new DashboardSessions(clock, Duration.ofHours(8), Duration.ofHours(1), 100);
        DashboardSessions.Session s = sessions.create("ann");
        now.set(now.get().plus(Duration.ofMinutes(59)));
        assertThat(sessions.find(s.id())).isPresent();
        now.set(now.get().plus(Duration.ofMinutes(2)));
        assertThat(sessions.find(s.id())).isEmpty();
    }

    @Test
    void dropsTheLeastRecentlyUsedSessionBeyondTheLimit() {
        DashboardSessions sessions = new DashboardSessions(clock, Duration.ofHours(8), Duration.ofHours(24), 2);
        DashboardSessions.Session first = sessions.create("a");
        now.set(now.get().plusSeconds(120));
        DashboardSessions.Session second = sessions.create("b");
        now.set(now.get().plusSeconds(120));
        DashboardSessions.Session third = sessions.create("c");
        assertThat(sessions.find(first.id())).isEmpty();
        assertThat(sessions.find(second.id())).isPresent();
        assertThat(sessions.find(third.id())).isPresent();
    }

    @Test
    void givesEverySessionItsOwnRandomIdAndCsrfTokenAndComparesTokensExactly() {
        DashboardSessions sessions = new DashboardSessions(clock, Duration.ofHours(8), Duration.ofHours(24), 100);
        DashboardSessions.Session a = sessions.create("ann");
        DashboardSessions.Session b = sessions.create("ann");
        assertThat(a.id()).isNotEqualTo(b.id()).hasSize(43);
        assertThat(a.csrfToken()).isNotEqualTo(b.csrfToken()).isNotEqualTo(a.id());
        assertThat(DashboardSessions.csrfMatches(a, a.csrfToken())).isTrue();
        assertThat(DashboardSessions.csrfMatches(a, b.csrfToken())).isFalse();
        assertThat(DashboardSessions.csrfMatches(a, null)).isFalse();
        sessions.invalidateUser("ann");
        assertThat(sessions.find(a.id())).isEmpty();
        assertThat(sessions.find(b.id())).isEmpty();
    }

    @Test
    void refusesANonPositiveTimeoutNamingTheKey() {
        assertThatThrownBy(() -> new DashboardSessions(clock, Duration.ZERO, Duration.ofHours(1), 1))
                .hasMessageContaining("fleetlet.dashboard.session-idle-timeout");
        assertThatThrownBy(() -> new DashboardSessions(clock, Duration.ofHours(1), Duration.ofHours(1), 0))
                .hasMessageContaining("fleetlet.dashboard.max-sessions");
    }
}
