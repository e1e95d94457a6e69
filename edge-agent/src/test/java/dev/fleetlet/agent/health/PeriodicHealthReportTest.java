package dev.fleetlet.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.agent.fakes.FakePublisher;
import dev.fleetlet.agent.state.StateReporter;
import dev.fleetlet.drivers.testing.MutableClock;
import dev.fleetlet.protocol.Topics;
import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.protocol.message.ReportedState;
import dev.fleetlet.protocol.message.ServiceStatus;
import dev.fleetlet.protocol.message.SystemHealth;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PeriodicHealthReportTest {

    private static final String DEVICE = "pi-kitchen-01";
    private static final ProtocolCodec CODEC = new ProtocolCodec();

    private final MutableClock clock = MutableClock.at("2025-03-14T10:00:00Z");
    private final FakePublisher publisher = new FakePublisher();
    private final AtomicReference<List<ServiceStatus>> services = new AtomicReference<>();
    private final AtomicReference<SystemHealth> system = new AtomicReference<>();
    private StateReporter reporter;
    private PeriodicHealthReport periodic;

    private static ServiceStatus web(String health, int restarts, double cpu, long memory) {
        return new ServiceStatus("web", "r/web@sha256:" + "b".repeat(64), "running", health, restarts, cpu, memory,
                64L * 1024 * 1024, 3);
    }

    private static SystemHealth disk(long free) {
        return new SystemHealth(free, 1000L, null, null, 50.0, 10L, false, false, false, 0);
    }

    @BeforeEach
    void setUp() {
        services.set(List.of(web("healthy", 0, 2.0, 20_000_000L)));
        system.set(disk(500));
        reporter = new StateReporter(DEVICE, publisher, CODEC, clock, system::get);
        reporter.report(ReportedState.Status.APPLIED, 7, "app-1", "app-0", null, services.get());
        periodic = new PeriodicHealthReport(reporter, services::get, system::get, clock);
        publisher.clear();
    }

    private List<ReportedState> sent() {
        return publisher.decoded(Topics.reportedState(DEVICE), MessageType.REPORTED_STATE, CODEC);
    }

    @Test
    void everyReportCarriesSystemHealth() {
        assertThat(reporter.latest().orElseThrow().system()).isEqualTo(disk(500));
    }

    @Test
    void sendsNothingWithinAMinuteOfTheLastReportEvenWhenHealthChanged() {
        // given
        services.set(List.of(web("unhealthy", 1, 2.0, 20_000_000L)));
        clock.advance(Duration.ofSeconds(59));

        // when
        boolean sent = periodic.tick();

        // then
        assertThat(sent).isFalse();
        assertThat(sent()).isEmpty();
    }

    @Test
    void sendsNothingAfterAMinuteWhenNothingMovedEnough() {
        // given: 1 point of CPU, 2 % memory, one more second of uptime
        services.set(List.of(web("healthy", 0, 3.0, 20_400_000L)));
        system.set(new SystemHealth(500L, 1000L, null, null, 51.0, 11L, false, false, false, 0));
        clock.advance(Duration.ofMinutes(5));

        // then
        assertThat(periodic.tick()).isFalse();
        assertThat(sent()).isEmpty();
    }

    @Test
    void republishesTheLastStatusWithFreshServicesWhenARestartHappened() {
        // given
        services.set(List.of(web("healthy", 1, 2.0, 20_000_000L)));
        clock.advance(Duration.ofSeconds(60));

        // when
        boolean sent = periodic.tick();

        // then
        assertThat(sent).isTrue();
        ReportedState r = sent().get(0);
        assertThat(r.status()).isEqualTo(ReportedState.Status.APPLIED);
        assertThat(r.generation()).isEqualTo(7);
        assertThat(r.releaseId()).isEqualTo("app-1");
        assertThat(r.previousReleaseId()).isEqualTo("app-0");
        assertThat(r.services().get(0).restarts()).isEqualTo(1);
        assertThat(r.reportedAt()).isEqualTo(clock.instant());
    }

    @Test
    void aDiskFillingUpAndACpuJumpEachCount() {
        // given: disk used 50 % -> 52 %
        system.set(disk(480));
        clock.advance(Duration.ofMinutes(1));

        // then
        assertThat(periodic.tick()).isTrue();

        // and given: CPU 2 % -> 40 %, a minute later
        services.set(List.of(web("healthy", 0, 40.0, 20_000_000L)));
        clock.advance(Duration.ofSeconds(30));
        assertThat(periodic.tick()).as("only 30 s after the last").isFalse();
        clock.advance(Duration.ofSeconds(30));
        assertThat(periodic.tick()).isTrue();
        assertThat(sent()).hasSize(2);
    }

    @Test
    void underVoltageAppearingIsReported() {
        system.set(new SystemHealth(500L, 1000L, null, null, 50.0, 10L, true, false, true, 0x10001));
        clock.advance(Duration.ofMinutes(2));

        assertThat(periodic.tick()).isTrue();
        assertThat(sent().get(0).system().underVoltage()).isTrue();
    }

    @Test
    void aFailingSampleNeitherThrowsNorSends() {
        periodic = new PeriodicHealthReport(reporter, () -> {
            throw new IllegalStateException("cgroup gone");
        }, system::get, clock);
        clock.advance(Duration.ofMinutes(2));

        assertThat(periodic.tick()).isFalse();
        assertThat(sent()).isEmpty();
    }

    @Test
    void refreshNeverOverwritesANewerReport() {
        // given: the reporter's latest report, then the reconciler reports a newer status
        ReportedState before = reporter.latest().orElseThrow();
        clock.advance(Duration.ofMinutes(1));
        reporter.report(ReportedState.Status.APPLYING, 8, "app-1", null, null, services.get());

        // when
        boolean refreshed = reporter.refresh(before, List.of(), disk(1));

        // then
        assertThat(refreshed).isFalse();
        assertThat(reporter.latest().orElseThrow().status()).isEqualTo(ReportedState.Status.APPLYING);
    }
}
