package dev.fleetlet.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Validation of the supervisor's value types: bad input names the field. */
class SupervisorApiTest {
    private static final Duration S = Duration.ofSeconds(1);

    @Test
    void cmdShellRunsThroughBinSh() {
        assertThat(HealthCheck.shell("curl -f localhost", S, S, 3, Duration.ZERO).command())
                .containsExactly("/bin/sh", "-c", "curl -f localhost");
    }

    @Test
    void rejectsHealthChecksWithoutCommandOrWithNonPositiveTimes() {
        assertThatThrownBy(() -> new HealthCheck(List.of(), S, S, 3, Duration.ZERO)).hasMessageContaining("healthcheck.command");
        assertThatThrownBy(() -> new HealthCheck(List.of("true"), Duration.ZERO, S, 3, Duration.ZERO)).hasMessageContaining("healthcheck.interval");
        assertThatThrownBy(() -> new HealthCheck(List.of("true"), S, Duration.ofMillis(-1), 3, Duration.ZERO)).hasMessageContaining("healthcheck.timeout");
        assertThatThrownBy(() -> new HealthCheck(List.of("true"), S, S, 0, Duration.ZERO)).hasMessageContaining("healthcheck.retries");
        assertThatThrownBy(() -> new HealthCheck(List.of("true"), S, S, 1, Duration.ofSeconds(-1))).hasMessageContaining("healthcheck.startPeriod");
    }

    @Test
    void maxRetriesOnlyGoesWithOnFailure() {
        assertThat(RestartRule.onFailure(2).maxRetries()).isEqualTo(2);
        assertThatThrownBy(() -> new RestartRule(RestartPolicy.ALWAYS, 2)).hasMessageContaining("restart.maxRetries");
        assertThatThrownBy(() -> RestartRule.onFailure(-1)).hasMessageContaining("restart.maxRetries");
        assertThatThrownBy(() -> new RestartRule(null, null)).hasMessageContaining("restart.policy");
    }

    @Test
    void unlessStoppedRestartsWhateverTheExitCode() {
        assertThat(RestartPolicy.UNLESS_STOPPED.restarts(0)).isTrue();
        assertThat(RestartPolicy.UNLESS_STOPPED.restarts(1)).isTrue();
        assertThat(RestartPolicy.ON_FAILURE.restarts(0)).isFalse();
    }
}
