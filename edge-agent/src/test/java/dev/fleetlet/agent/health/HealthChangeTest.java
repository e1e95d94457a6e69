package dev.fleetlet.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.protocol.message.ServiceStatus;
import dev.fleetlet.protocol.message.SystemHealth;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthChangeTest {

    private static ServiceStatus svc(String state, Double cpu, Long memory) {
        return new ServiceStatus("db", "r/db@sha256:" + "c".repeat(64), state, "none", 0, cpu, memory, null, 2);
    }

    private static SystemHealth sys(Double temp, Long memAvailable) {
        return new SystemHealth(10L, 100L, memAvailable, 1000L * 1024 * 1024, temp, 5L, null, null, null, null);
    }

    @Test
    void aServiceAppearingOrChangingStateCounts() {
        assertThat(HealthChange.significant(List.of(), null, List.of(svc("running", 1.0, 1L)), null)).isTrue();
        assertThat(HealthChange.significant(List.of(svc("running", 1.0, 1L)), null,
                List.of(svc("exited", 1.0, 1L)), null)).isTrue();
    }

    @Test
    void smallMovesDoNotCountLargeOnesDo() {
        long mib = 1024 * 1024;
        List<ServiceStatus> before = List.of(svc("running", 10.0, 100 * mib));
        assertThat(HealthChange.significant(before, null, List.of(svc("running", 14.9, 109 * mib)), null)).isFalse();
        assertThat(HealthChange.significant(before, null, List.of(svc("running", 15.0, 100 * mib)), null)).isTrue();
        assertThat(HealthChange.significant(before, null, List.of(svc("running", 10.0, 111 * mib)), null)).isTrue();
    }

    @Test
    void temperatureAndAvailableMemoryThresholds() {
        long mib = 1024 * 1024;
        assertThat(HealthChange.significant(List.of(), sys(50.0, 500 * mib), List.of(), sys(54.9, 460 * mib)))
                .isFalse();
        assertThat(HealthChange.significant(List.of(), sys(50.0, 500 * mib), List.of(), sys(55.0, 500 * mib)))
                .isTrue();
        assertThat(HealthChange.significant(List.of(), sys(50.0, 500 * mib), List.of(), sys(50.0, 400 * mib)))
                .isTrue();
        assertThat(HealthChange.significant(List.of(), null, List.of(), sys(50.0, 1L))).isTrue();
    }
}
