package dev.fleetlet.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetlet.drivers.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RuncSupervisor}'s decisions over the in-memory {@link FakeContainerRuntime}, with a clock the test
 * moves: back-off doubling and reset, start period, adoption bookkeeping. The scheduler ticks for real
 * (every 10 ms); what is due is decided by the test's clock.
 */
class RuncSupervisorTest {
    private static final Duration NOT_YET = Duration.ofMillis(150);

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final FakeContainerRuntime runtime = new FakeContainerRuntime(clock);
    private final RuncSupervisor sup = new RuncSupervisor(runtime, clock, new RuncSupervisor.Settings(Duration.ofMillis(10),
            Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(30), Duration.ofSeconds(1)));
    private final ContainerSpec web = ContainerSpec.builder("web", Path.of("/fake"), List.of("sleep", "60")).build();

    @AfterEach
    void tearDown() {
        sup.close();
    }

    private ServiceState state() {
        return sup.state("web").orElseThrow();
    }

    private void crashAndAwaitRestarting() {
        runtime.crash("web", 1);
        await().atMost(Duration.ofSeconds(2)).until(() -> state().state() == ServiceState.State.RESTARTING);
    }

    private void assertRestartedAfter(Duration delay, int restarts) {
        clock.advance(delay.minusMillis(1));
        await().during(NOT_YET).atMost(Duration.ofSeconds(1)).until(() -> state().state() == ServiceState.State.RESTARTING);
        clock.advance(Duration.ofMillis(1));
        await().atMost(Duration.ofSeconds(2)).until(() -> state().state() == ServiceState.State.RUNNING);
        assertThat(state().restarts()).isEqualTo(restarts);
    }

    @Test
    void backOffDoublesPerCrashAndResetsAfterAHealthyRun() {
        sup.supervise(web, RestartRule.of(RestartPolicy.ALWAYS), null);

        crashAndAwaitRestarting();
        assertRestartedAfter(Duration.ofSeconds(1), 1);
        crashAndAwaitRestarting();
        assertRestartedAfter(Duration.ofSeconds(2), 2);
        crashAndAwaitRestarting();
        assertRestartedAfter(Duration.ofSeconds(4), 3);

        clock.advance(Duration.ofSeconds(30)); // a healthy run
        crashAndAwaitRestarting();
        assertRestartedAfter(Duration.ofSeconds(1), 4);
        assertThat(runtime.calls()).filteredOn(c -> c.startsWith("start")).hasSize(5);
    }

    @Test
    void failingProbesCountOnlyAfterTheStartPeriodAndASuccessMakesItHealthy() {
        runtime.setExecExitCode("web", 1);
        sup.supervise(web, RestartRule.of(RestartPolicy.NEVER),
                new HealthCheck(List.of("check"), Duration.ofSeconds(1), Duration.ofSeconds(1), 2, Duration.ofSeconds(10)));

        for (int i = 0; i < 5; i++) { // five failing probes inside the start period
            clock.advance(Duration.ofSeconds(1));
            int probes = i + 1;
            await().atMost(Duration.ofSeconds(2)).until(() -> execs() >= probes);
        }
        await().during(NOT_YET).atMost(Duration.ofSeconds(1)).until(() -> state().health() == Health.STARTING);

        clock.advance(Duration.ofSeconds(6)); // past the start period: two more failures make it unhealthy
        await().atMost(Duration.ofSeconds(2)).until(() -> execs() >= 6);
        clock.advance(Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(2)).until(() -> state().health() == Health.UNHEALTHY);

        runtime.setExecExitCode("web", 0);
        clock.advance(Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(2)).until(() -> state().health() == Health.HEALTHY);
    }

    @Test
    void adoptsAPresentContainerWithTheSameSpecAndListsOthersAsUnsupervised() {
        runtime.start(web);
        runtime.start(ContainerSpec.builder("db", Path.of("/fake"), List.of("sleep", "60")).build());

        try (RuncSupervisor next = new RuncSupervisor(runtime, clock, RuncSupervisor.Settings.defaults())) {
            assertThat(next.unsupervised()).containsExactlyInAnyOrder("web", "db");
            ServiceState s = next.supervise(web, RestartRule.of(RestartPolicy.ALWAYS), null);

            assertThat(s.state()).isEqualTo(ServiceState.State.RUNNING);
            assertThat(s.restarts()).isZero();
            assertThat(next.unsupervised()).containsExactly("db");
            assertThat(runtime.calls()).filteredOn(c -> c.equals("start web")).hasSize(1);
        }
    }

    private long execs() {
        return runtime.calls().stream().filter(c -> c.startsWith("exec web")).count();
    }
}
