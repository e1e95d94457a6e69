package dev.fleetlet.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetlet.agent.containertest.RuncFixture;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RuncSupervisor} with the real runc (as root): restart rules with back-off, health checks, OOM. */
class SupervisorIT {
    private static final long MIB = 1024 * 1024;
    private static final RuncSupervisor.Settings FAST = new RuncSupervisor.Settings(Duration.ofMillis(50),
            Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(2));

    @TempDir
    Path tmp;

    private RuncFixture fx;
    private Path rootfs;
    private RuncSupervisor sup;
    private final List<ServiceState> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        fx = new RuncFixture(tmp);
        rootfs = fx.busyboxRootfs("rootfs");
        sup = new RuncSupervisor(fx.runtime, Clock.systemUTC(), FAST);
        sup.addListener(seen::add);
    }

    @AfterEach
    void tearDown() {
        sup.close();
        fx.cleanUp();
    }

    private ContainerSpec spec(String id, String script) {
        return ContainerSpec.builder(id, rootfs, List.of("sh", "-c", script)).build();
    }

    private ServiceState state(String id) {
        return sup.state(id).orElseThrow();
    }

    @Test
    void restartsAFailingContainerWithDoublingBackoff() {
        sup.supervise(spec("crashy", "exit 1"), RestartRule.of(RestartPolicy.ON_FAILURE), null);

        await().atMost(Duration.ofSeconds(15)).until(() -> state("crashy").restarts() >= 3);
        // listeners are told on the supervisor's scheduler, after the state changed: wait for the fourth start's news
        await().atMost(Duration.ofSeconds(5)).until(() -> runningStarts().size() >= 4);

        List<Instant> starts = runningStarts();
        assertThat(starts).hasSizeGreaterThanOrEqualTo(4);
        long gap1 = Duration.between(starts.get(1), starts.get(2)).toMillis();
        long gap2 = Duration.between(starts.get(2), starts.get(3)).toMillis();
        System.out.println("restart gaps ms: " + Duration.between(starts.get(0), starts.get(1)).toMillis() + " " + gap1 + " " + gap2);
        assertThat(Duration.between(starts.get(0), starts.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(gap1).as("second delay 400 ms").isGreaterThanOrEqualTo(400);
        assertThat(gap2).as("third delay 800 ms").isGreaterThanOrEqualTo(800);
        assertThat(seen).extracting(ServiceState::state).contains(ServiceState.State.RESTARTING);
        assertThat(state("crashy").lastExitCode()).isEqualTo(1);
    }

    private List<Instant> runningStarts() {
        return seen.stream().filter(s -> s.state() == ServiceState.State.RUNNING)
                .map(ServiceState::startedAt).distinct().toList();
    }

    @Test
    void onFailureWithMaxTwoGivesUpAfterTwoRestarts() {
        sup.supervise(spec("twice", "exit 3"), RestartRule.onFailure(2), null);

        await().atMost(Duration.ofSeconds(10)).until(() -> state("twice").state() == ServiceState.State.EXITED);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> state("twice").restarts() == 2);

        ServiceState s = state("twice");
        assertThat(s.lastExitCode()).isEqualTo(3);
        assertThat(s.lastError()).contains("gave up after 2 restarts (on-failure:2)");
        assertThat(fx.runtime.status("twice").orElseThrow().state()).isEqualTo(ContainerStatus.State.EXITED);
    }

    @Test
    void alwaysRestartsAfterExitZeroAndOnFailureDoesNot() {
        sup.supervise(spec("always", "echo ran; exit 0"), RestartRule.of(RestartPolicy.ALWAYS), null);
        sup.supervise(spec("onfail", "exit 0"), RestartRule.of(RestartPolicy.ON_FAILURE), null);

        await().atMost(Duration.ofSeconds(10)).until(() -> state("always").restarts() >= 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> state("onfail").state() == ServiceState.State.EXITED);

        assertThat(state("always").lastExitCode()).isZero();
        assertThat(state("onfail").restarts()).isZero();
        assertThat(state("onfail").lastExitCode()).isZero();
        assertThat(state("onfail").lastError()).isNull();
    }

    @Test
    void unlessStoppedIsNotRestartedAfterRelease() {
        ServiceState started = sup.supervise(spec("svc", "exec sleep 60"), RestartRule.of(RestartPolicy.UNLESS_STOPPED), null);
        assertThat(started.state()).isEqualTo(ServiceState.State.RUNNING);

        sup.release("svc", Duration.ofMillis(500));
        sup.release("svc", Duration.ofMillis(500));

        assertThat(sup.state("svc")).isEmpty();
        await().during(Duration.ofMillis(1000)).atMost(Duration.ofSeconds(2))
                .until(() -> fx.runtime.status("svc").isEmpty() && !fx.runtime.list().contains("svc"));
        await().atMost(Duration.ofSeconds(2)).until(() -> seen.stream().anyMatch(s -> s.state() == ServiceState.State.STOPPED));
        assertThat(seen).noneMatch(s -> s.restarts() > 0);
    }

    @Test
    void passingCheckMakesItHealthy() {
        ServiceState s = sup.supervise(spec("ok", "exec sleep 60"), RestartRule.of(RestartPolicy.NEVER),
                HealthCheck.shell("test -d /proc/1", Duration.ofMillis(200), Duration.ofSeconds(2), 3, Duration.ZERO));
        assertThat(s.health()).isEqualTo(Health.STARTING);

        await().atMost(Duration.ofSeconds(5)).until(() -> state("ok").health() == Health.HEALTHY);
    }

    @Test
    void failingCheckMakesItUnhealthyAfterRetries() {
        long t0 = System.nanoTime();
        sup.supervise(spec("sick", "exec sleep 60"), RestartRule.of(RestartPolicy.NEVER),
                HealthCheck.shell("exit 1", Duration.ofMillis(200), Duration.ofSeconds(2), 3, Duration.ZERO));

        await().atMost(Duration.ofSeconds(6)).until(() -> state("sick").health() == Health.UNHEALTHY);

        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(millis).as("three failed probes, 200 ms apart").isGreaterThanOrEqualTo(600);
        assertThat(seen).extracting(ServiceState::health).containsSubsequence(Health.STARTING, Health.UNHEALTHY)
                .doesNotContain(Health.HEALTHY);
        assertThat(state("sick").state()).as("unhealthy is reported, not restarted").isEqualTo(ServiceState.State.RUNNING);
    }

    @Test
    void failuresDuringTheStartPeriodDoNotCount() {
        sup.supervise(spec("slowstart", "sleep 1.5; touch /tmp/ready; exec sleep 60"), RestartRule.of(RestartPolicy.NEVER),
                HealthCheck.shell("test -f /tmp/ready", Duration.ofMillis(100), Duration.ofSeconds(2), 1, Duration.ofSeconds(4)));

        await().atMost(Duration.ofSeconds(8)).until(() -> state("slowstart").health() == Health.HEALTHY);

        assertThat(seen).extracting(ServiceState::health).doesNotContain(Health.UNHEALTHY);
    }

    @Test
    void aProbeRunningPastItsTimeoutIsKilledAndCountsAsFailure() {
        long t0 = System.nanoTime();
        sup.supervise(spec("hang", "exec sleep 60"), RestartRule.of(RestartPolicy.NEVER),
                new HealthCheck(List.of("sleep", "30"), Duration.ofMillis(100), Duration.ofMillis(300), 2, Duration.ZERO));

        await().atMost(Duration.ofSeconds(6)).until(() -> state("hang").health() == Health.UNHEALTHY);
        long millis = (System.nanoTime() - t0) / 1_000_000;

        assertThat(millis).as("two probes of 300 ms, not 30 s").isBetween(600L, 5000L);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                .until(() -> sup.stats("hang").pidsCurrent() <= 3); // init + one probe (+ runc joining); no zombies
        sup.close();
        await().atMost(Duration.ofSeconds(3)).until(() -> sup.stats("hang").pidsCurrent() == 1);
    }

    @Test
    void oomKillIsReportedAndRestartedPerRule() {
        ContainerSpec memhog = ContainerSpec.builder("memhog", rootfs, List.of("dd", "if=/dev/zero", "of=/dev/null", "bs=96M", "count=1"))
                .resources(new Resources(24 * MIB, null, null)).build();

        sup.supervise(memhog, RestartRule.onFailure(1), null);
        await().atMost(Duration.ofSeconds(20)).until(() -> state("memhog").state() == ServiceState.State.EXITED);

        ServiceState s = state("memhog");
        assertThat(s.restarts()).isEqualTo(1);
        assertThat(s.oomKilled()).isTrue();
        assertThat(s.lastExitCode()).isEqualTo(137);
        assertThat(s.lastError()).contains("OOM-killed at 24 MiB");
        assertThat(seen).anyMatch(x -> x.state() == ServiceState.State.RESTARTING && x.oomKilled()
                && x.lastError().equals("OOM-killed at 24 MiB"));
    }

    @Test
    void aMissingEntrypointEndsExitedWithRuncsError() {
        sup.supervise(ContainerSpec.builder("nobin", rootfs, List.of("/no/such/binary")).build(),
                RestartRule.of(RestartPolicy.NEVER), null);

        await().atMost(Duration.ofSeconds(5)).until(() -> state("nobin").state() == ServiceState.State.EXITED);

        ServiceState s = state("nobin");
        assertThat(s.lastError()).contains("/no/such/binary");
        assertThat(s.restarts()).isZero();
    }

    @Test
    void supervisingWithAnotherSpecReplacesTheContainer() throws Exception {
        sup.supervise(spec("web", "echo v1; exec sleep 60"), RestartRule.of(RestartPolicy.ALWAYS), null);
        String hashV1 = fx.runtime.info("web").orElseThrow().specHash();

        ServiceState v2 = sup.supervise(spec("web", "echo v2; exec sleep 60"), RestartRule.of(RestartPolicy.ALWAYS), null);

        assertThat(v2.state()).isEqualTo(ServiceState.State.RUNNING);
        assertThat(fx.runtime.info("web").orElseThrow().specHash()).isNotEqualTo(hashV1).startsWith("sha256:");
        await().atMost(Duration.ofSeconds(5)).until(() -> fx.stdout("web").contains("v2"));
        assertThat(fx.stdout("web")).contains("v1");
    }
}
