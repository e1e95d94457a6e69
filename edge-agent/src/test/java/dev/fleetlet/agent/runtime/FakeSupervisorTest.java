package dev.fleetlet.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FakeSupervisorTest {
    private final FakeSupervisor sup = new FakeSupervisor(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    private final ContainerSpec web = ContainerSpec.builder("web", Path.of("/fake"), List.of("httpd")).build();

    @Test
    void onFailureWithMaxGivesUpAfterMaxRestarts() {
        sup.supervise(web, RestartRule.onFailure(1), null);

        ServiceState first = sup.exit("web", 1);
        ServiceState second = sup.exit("web", 1);

        assertThat(first.state()).isEqualTo(ServiceState.State.RUNNING);
        assertThat(first.restarts()).isEqualTo(1);
        assertThat(second.state()).isEqualTo(ServiceState.State.EXITED);
        assertThat(second.lastError()).contains("on-failure:1");
        assertThat(sup.calls()).containsExactly("supervise web", "restart web");
    }

    @Test
    void adoptsAnUnsupervisedContainerWithTheSameSpecAndReplacesADifferentOne() {
        sup.addUnsupervised(web);
        sup.addUnsupervised(ContainerSpec.builder("db", Path.of("/fake"), List.of("old")).build());
        assertThat(sup.unsupervised()).containsExactly("web", "db");

        sup.supervise(web, RestartRule.of(RestartPolicy.ALWAYS), null);
        sup.supervise(ContainerSpec.builder("db", Path.of("/fake"), List.of("new")).build(), RestartRule.of(RestartPolicy.ALWAYS), null);

        assertThat(sup.calls()).containsExactly("supervise web", "adopt web", "supervise db", "replace db");
        assertThat(sup.unsupervised()).isEmpty();
    }

    @Test
    void healthAndReleaseAreReportedToListeners() {
        List<ServiceState> seen = new ArrayList<>();
        sup.addListener(seen::add);
        sup.supervise(web, RestartRule.of(RestartPolicy.NEVER),
                HealthCheck.shell("true", Duration.ofSeconds(1), Duration.ofSeconds(1), 3, Duration.ZERO));

        sup.markHealthy("web");
        sup.release("web", Duration.ofSeconds(1));
        sup.release("web", Duration.ofSeconds(1));

        assertThat(seen).extracting(ServiceState::health).containsExactly(Health.STARTING, Health.HEALTHY, Health.HEALTHY);
        assertThat(seen.get(2).state()).isEqualTo(ServiceState.State.STOPPED);
        assertThat(sup.state("web")).isEmpty();
    }

    @Test
    void aFailedStartIsExitedWithTheError() {
        sup.failNextStart("web", "entrypoint not found");

        ServiceState s = sup.supervise(web, RestartRule.of(RestartPolicy.ALWAYS), null);

        assertThat(s.state()).isEqualTo(ServiceState.State.EXITED);
        assertThat(s.lastError()).isEqualTo("entrypoint not found");
    }
}
