package dev.fleetlet.hil.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.hil.sim.internal.SimulatedHealth;
import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.protocol.message.ReportedState;
import dev.fleetlet.protocol.message.SystemHealth;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SimulatedHealthTest {

    static final Instant BOOT = Instant.parse("2026-05-04T08:00:00Z");

    @Test
    void everyTenthDeviceHasAFullDiskAndEveryTenthAWeakSupplyTheRestAreFine() {
        // when
        List<SystemHealth> fleet = IntStream.range(0, 20).mapToObj(i -> SimulatedHealth.of(i, BOOT, BOOT.plusSeconds(60)))
                .toList();

        // then
        assertThat(IntStream.range(0, 20).filter(i -> fleet.get(i).diskUsedFraction() >= 0.9).boxed().toList())
                .containsExactly(1, 11);
        assertThat(IntStream.range(0, 20).filter(i -> fleet.get(i).underVoltage()).boxed().toList())
                .containsExactly(2, 12);
        assertThat(fleet.get(12).throttled()).isTrue();
        assertThat(fleet).allSatisfy(h -> {
            assertThat(h.cpuTemperatureC()).isBetween(40.0, 66.0);
            assertThat(h.memoryAvailableBytes()).isLessThan(h.memoryTotalBytes());
            assertThat(h.uptimeSeconds()).isGreaterThanOrEqualTo(60);
        });
        assertThat(fleet.stream().map(SystemHealth::diskFreeBytes).distinct().count()).as("varied").isGreaterThan(10);
    }

    @Test
    void isTheSameEveryRunAndEncodesUnderTheSchema() {
        SystemHealth a = SimulatedHealth.of(7, BOOT, BOOT);
        assertThat(SimulatedHealth.of(7, BOOT, BOOT)).isEqualTo(a);

        ReportedState report = new ReportedState(1, "sim-device-7", 0, BOOT, ReportedState.Status.IDLE, null, null, null,
                List.of(SimulatedHealth.running(7, "web", "r/web@sha256:" + "a".repeat(64))), a);
        ProtocolCodec codec = new ProtocolCodec();
        assertThat(codec.decode(MessageType.REPORTED_STATE, codec.encode(MessageType.REPORTED_STATE, report))
                .orElseThrow()).isEqualTo(report);
        assertThat(report.services().get(0).memoryBytes()).isLessThan(report.services().get(0).memoryLimitBytes());
    }
}
