package dev.fleetlet.agent.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetlet.agent.release.internal.ReleaseJournal;
import dev.fleetlet.agent.runtime.CgroupStats;
import dev.fleetlet.agent.runtime.ContainerSpec;
import dev.fleetlet.agent.runtime.FakeSupervisor;
import dev.fleetlet.agent.runtime.ServiceState;
import dev.fleetlet.agent.state.ReleaseRuntime;
import dev.fleetlet.protocol.message.Release;
import dev.fleetlet.protocol.message.ServiceStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerReleaseRuntimeTest {

    /** The system clock plus an offset the test can move forward (soak windows). */
    static final class OffsetClock extends Clock {
        volatile Duration offset = Duration.ZERO;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }
    }

    @TempDir
    Path dir;

    private final OffsetClock clock = new OffsetClock();
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> unhealthy = ConcurrentHashMap.newKeySet();
    private final Set<String> crashing = ConcurrentHashMap.newKeySet();
    private FakeSupervisor supervisor;
    private FakeReleaseImages images;
    private final ReleaseSettings settings = new ReleaseSettings(Duration.ofMinutes(10), Duration.ofMillis(200),
            Duration.ofSeconds(2), 3, Duration.ofSeconds(1));
    private final List<String> progress = Collections.synchronizedList(new ArrayList<>());

    private final ReleaseRuntime.Progress recorder = new ReleaseRuntime.Progress() {
        @Override
        public void downloading(long bytes, Long totalBytes, String message) {
            progress.add("downloading " + bytes);
        }

        @Override
        public void starting(String message) {
            progress.add("starting");
        }

        @Override
        public void healthy(String message) {
            progress.add("healthy");
        }
    };

    @BeforeEach
    void setUp() throws Exception {
        images = new FakeReleaseImages(Files.createDirectories(dir.resolve("containers")), log);
        newSupervisor();
    }

    /** A fresh supervisor, as after an agent restart, with the fake world's health probes. */
    private void newSupervisor() {
        FakeSupervisor supervisor = new FakeSupervisor(clock);
        this.supervisor = supervisor;
        supervisor.addListener(s -> {
            // health probes of the fake world: every checked service passes unless the test said otherwise
            if (s.state() == ServiceState.State.RUNNING && s.health() == dev.fleetlet.agent.runtime.Health.STARTING) {
                if (unhealthy.stream().anyMatch(s.id()::startsWith)) {
                    supervisor.markUnhealthy(s.id());
                } else {
                    supervisor.markHealthy(s.id());
                }
            }
            if (s.state() == ServiceState.State.RUNNING && s.restarts() < 5 && crashing.stream().anyMatch(s.id()::startsWith)) {
                supervisor.exit(s.id(), 2);
            }
        });
    }

    private ContainerReleaseRuntime runtime() {
        return new ContainerReleaseRuntime(supervisor, images, null, dir.resolve("state"), Releases.JSON, settings, clock);
    }

    private List<String> calls() {
        List<String> out = new ArrayList<>(supervisor.calls());
        out.removeIf(c -> c.startsWith("restart "));
        return out;
    }

    private static String id(Release r, String service) {
        return ContainerSpecs.containerId(r.name(), service, r.id());
    }

    private static final Release V1 = Releases.webAndDb("shop-1", "1", "download-then-kill");
    private static final Release V2 = Releases.webAndDb("shop-2", "2", "download-then-kill");

    @Test
    void installsAFirstReleaseInDependsOnOrderOnceItsDependencyIsHealthy() throws Exception {
        // given
        ContainerReleaseRuntime rt = runtime();
        // when
        rt.install(V1, null, recorder);
        // then
        assertThat(calls()).containsExactly("supervise " + id(V1, "db"), "supervise " + id(V1, "web"));
        assertThat(rt.current()).isEqualTo(V1);
        assertThat(rt.phase()).isEqualTo(ReleaseJournal.Phase.IDLE);
        assertThat(progress).containsExactly("downloading 1000", "downloading 2000", "starting", "healthy");
        assertThat(supervisor.spec(id(V1, "web")).orElseThrow().volumes())
                .containsExactly(new ContainerSpec.VolumeMount("shop_data", "/data", false));
    }

    @Test
    void anImagePinnedByDigestAndAlreadyStoredIsNotAskedForAgainButATagIs() throws Exception {
        // given: both images of the release are in the store
        String pinned = "reg.local/web:3@sha256:" + "ab".repeat(32);
        String tagged = "reg.local/db:3";
        images.stored.add(pinned);
        images.stored.add(tagged);
        Release r = Releases.of("shop-3", "shop", """
                {"services": {"web": {"image": "%s", "network_mode": "host"},
                              "db": {"image": "%s", "network_mode": "host"}}}""".formatted(pinned, tagged));
        ContainerReleaseRuntime rt = runtime();
        // when
        rt.install(r, null, recorder);
        // then: the digest names fixed content, a tag may have moved
        assertThat(log).contains("pull " + tagged).doesNotContain("pull " + pinned);
        assertThat(rt.current()).isEqualTo(r);
    }

    @Test
    void downloadThenKillPullsEverythingBeforeStoppingTheOldRelease() throws Exception {
        // given
        ContainerReleaseRuntime rt = runtime();
        rt.install(V1, null, recorder);
        supervisor.addListener(s -> log.add(s.state() + " " + s.id()));
        log.clear();
        // when
        rt.install(V2, V1.id(), recorder);
        // then
        assertThat(log).containsSubsequence("pull reg.local/web:2", "pull reg.local/db:2",
                "STOPPED " + id(V1, "web"), "STOPPED " + id(V1, "db"), "RUNNING " + id(V2, "db"), "RUNNING " + id(V2, "web"));
        assertThat(log.indexOf("pull reg.local/db:2")).isLessThan(log.indexOf("STOPPED " + id(V1, "web")));
        assertThat(rt.current()).isEqualTo(V2);
        assertThat(supervisor.state(id(V1, "web"))).isEmpty();
        assertThat(rt.lastServiceGap()).isPresent();
    }

    @Test
    void killThenDownloadStopsTheOldReleaseFirstAndCollectsImagesNeitherReleaseNeeds() throws Exception {
        // given
        ContainerReleaseRuntime rt = runtime();
        rt.install(V1, null, recorder);
        images.stored.add("reg.local/old:0");
        Release v2 = Releases.webAndDb("shop-2", "2", "kill-then-download");
        supervisor.addListener(s -> log.add(s.state() + " " + s.id()));
        log.clear();
        // when
        rt.install(v2, V1.id(), recorder);
        // then
        assertThat(log.indexOf("STOPPED " + id(V1, "db"))).isLessThan(log.indexOf("pull reg.local/web:2"));
        assertThat(images.gcKeeps).containsExactly(Set.of("reg.local/web:1", "reg.local/db:1", "reg.local/web:2",
                "reg.local/db:2"));
        assertThat(images.stored).doesNotContain("reg.local/old:0");
        assertThat(rt.current()).isEqualTo(v2);
    }

    @Test
    void handOverStartsTheNewReleaseNextToTheOldAndStopsTheOldOnlyWhenTheNewIsUp() throws Exception {
        // given
        Release h1 = Releases.of("h-1", "hand", "{\"services\": {\"w\": {\"image\": \"r/w:1\"}}}");
        Release h2 = Releases.of("h-2", "hand", "{\"services\": {\"w\": {\"image\": \"r/w:2\"}},"
                + " \"x-fleetlet\": {\"update_strategy\": \"hand-over\"}}");
        ContainerReleaseRuntime rt = new ContainerReleaseRuntime(supervisor, images, new NoopNetworks(), dir.resolve("s"),
                Releases.JSON, settings, clock);
        rt.install(h1, null, recorder);
        supervisor.addListener(s -> log.add(s.state() + " " + s.id()));
        log.clear();
        // when
        rt.install(h2, h1.id(), recorder);
        // then
        assertThat(log).containsSubsequence("RUNNING " + id(h2, "w"), "STOPPED " + id(h1, "w"));
        assertThat(rt.lastServiceGap()).contains(Duration.ZERO);
    }

    @Test
    void refusesHandOverForHostNetworkServicesWithoutTouchingTheOldRelease() throws Exception {
        // given
        ContainerReleaseRuntime rt = runtime();
        rt.install(V1, null, recorder);
        List<String> before = calls();
        // when / then
        assertThatThrownBy(() -> rt.install(Releases.webAndDb("shop-2", "2", "hand-over"), V1.id(), recorder))
                .isInstanceOfSatisfying(ReleaseRuntime.ReleaseException.class,
                        e -> assertThat(e.failure()).isEqualTo(ReleaseRuntime.Failure.FAILED))
                .hasMessageContaining("hand-over refused").hasMessageContaining("network_mode host");
        assertThat(calls()).isEqualTo(before);
    }

    @Test
    void rollsBackToTheOldReleaseWhenTheNewOneFailsItsHealthCheck() throws Exception {
        // given
        ContainerReleaseRuntime rt = runtime();
        rt.install(V1, null, recorder);
        unhealthy.add(id(V2, "db"));
        // when / then
        assertThatThrownBy(() -> rt.install(V2, V1.id(), recorder))
                .isInstanceOfSatisfying(ReleaseRuntime.ReleaseException.class,
                        e -> assertThat(e.failure()).isEqualTo(ReleaseRuntime.Failure.ROLLED_BACK))
                .hasMessageContaining("service db is unhealthy").hasMessageContaining("rolled back to shop-1");
        assertThat(supervisor.state(id(V1, "web")).orElseThrow().state()).isEqualTo(ServiceState.State.RUNNING);
        assertThat(supervisor.state(id(V2, "db"))).isEmpty();
        assertThat(rt.current()).isEqualTo(V1);
        assertThat(rt.phase()).isEqualTo(ReleaseJournal.Phase.IDLE);
        assertThat(Files.exists(dir.resolve("containers").resolve(id(V2, "db")))).as("failed rootfs released").isFalse();
    }

    @Test
    void rollsBackWhenAServiceOfTheNewReleaseCrashesRepeatedly() throws Exception {
        // given
        ContainerReleaseRuntime rt = runtime();
        rt.install(V1, null, recorder);
        crashing.add(id(V2, "db"));
        // when / then
        assertThatThrownBy(() -> rt.install(V2, V1.id(), recorder))
                .isInstanceOfSatisfying(ReleaseRuntime.ReleaseException.class,
                        e -> assertThat(e.failure()).isEqualTo(ReleaseRuntime.Failure.ROLLED_BACK))
                .hasMessageContaining("service db crashed repeatedly");
        assertThat(rt.current()).isEqualTo(V1);
    }

    @Test
    void rollsBackWhenTheNewReleaseCannotStart() throws Exception {
        // given
        ContainerReleaseRuntime rt = runtime();
        rt.install(V1, null, recorder);
        supervisor.failNextStart(id(V2, "db"), "exec /bin/db: no such file");
        // when / then
        assertThatThrownBy(() -> rt.install(V2, V1.id(), recorder))
                .isInstanceOfSatisfying(ReleaseRuntime.ReleaseException.class,
                        e -> assertThat(e.failure()).isEqualTo(ReleaseRuntime.Failure.ROLLED_BACK))
                .hasMessageContaining("service db cannot start: exec /bin/db: no such file");
    }

    @Test
    void reportsRollbackFailedWhenTheOldReleaseDoesNotComeBack() throws Exception {
        // given
        ContainerReleaseRuntime rt = runtime();
        rt.install(V1, null, recorder);
        unhealthy.add(id(V2, "db"));
        supervisor.failNextStart(id(V1, "db"), "device busy");
        // when / then
        assertThatThrownBy(() -> rt.install(V2, V1.id(), recorder))
                .isInstanceOfSatisfying(ReleaseRuntime.ReleaseException.class,
                        e -> assertThat(e.failure()).isEqualTo(ReleaseRuntime.Failure.ROLLBACK_FAILED))
                .hasMessageContaining("rollback to shop-1 failed: service db cannot start: device busy");
    }

    @Test
    void aReleaseWhoseImageCannotBePulledLeavesTheOldOneUntouched() throws Exception {
        // given
        ContainerReleaseRuntime rt = runtime();
        rt.install(V1, null, recorder);
        List<String> before = calls();
        images.failPull.put("reg.local/db:2", "manifest unknown: reg.local/db:2");
        // when / then
        assertThatThrownBy(() -> rt.install(V2, V1.id(), recorder))
                .isInstanceOfSatisfying(ReleaseRuntime.ReleaseException.class,
                        e -> assertThat(e.failure()).isEqualTo(ReleaseRuntime.Failure.FAILED))
                .hasMessageContaining("manifest unknown");
        assertThat(calls()).isEqualTo(before);
        assertThat(rt.current()).isEqualTo(V1);
        assertThat(rt.phase()).isEqualTo(ReleaseJournal.Phase.IDLE);
    }

    @Test
    void recoversTheOldReleaseAfterACrashBeforeCommitAndRemovesTheNewContainers() throws Exception {
        // given: an agent ran v1, was starting v2 and died
        ContainerReleaseRuntime first = runtime();
        first.install(V1, null, recorder);
        ContainerSpec oldWeb = supervisor.spec(id(V1, "web")).orElseThrow();
        ContainerSpec oldDb = supervisor.spec(id(V1, "db")).orElseThrow();
        first.install(V2, V1.id(), recorder);
        ContainerSpec newDb = supervisor.spec(id(V2, "db")).orElseThrow();
        new ReleaseJournal(dir.resolve("state"), Releases.JSON)
                .save(new ReleaseJournal.State(ReleaseJournal.Phase.STARTING_NEW, V1, V2, null, 0));
        newSupervisor();
        supervisor.addUnsupervised(oldWeb);
        supervisor.addUnsupervised(newDb);
        // when
        ContainerReleaseRuntime rt = runtime();
        rt.recover();
        // then
        assertThat(supervisor.calls()).contains("release " + newDb.id(), "adopt " + oldWeb.id(), "supervise " + oldDb.id());
        assertThat(supervisor.states()).extracting(ServiceState::id).containsExactlyInAnyOrder(oldWeb.id(), oldDb.id());
        assertThat(rt.current()).isEqualTo(V1);
        assertThat(rt.phase()).isEqualTo(ReleaseJournal.Phase.IDLE);
    }

    @Test
    void aRootfsThatCannotBeReleasedDoesNotStopRecoveryNorALaterUpdate() throws Exception {
        // given: v1 runs; a container directory of no release is left with a mount the kernel reports busy
        runtime().install(V1, null, recorder);
        images.rootfs("stray-x-00000000", "reg.local/stray:1");
        images.busyRootfs.add("stray-x-00000000");
        newSupervisor();

        // when the agent restarts and recovers, then updates
        ContainerReleaseRuntime rt = runtime();
        rt.recover();
        rt.install(V2, V1.id(), recorder);

        // then: the busy rootfs is left behind, everything else went on
        assertThat(rt.current()).isEqualTo(V2);
        assertThat(rt.phase()).isEqualTo(ReleaseJournal.Phase.IDLE);
        assertThat(supervisor.states()).extracting(ServiceState::id)
                .containsExactlyInAnyOrder(id(V2, "web"), id(V2, "db"));
        assertThat(images.rootfsIds()).contains("stray-x-00000000");
    }

    @Test
    void rollsBackToTheOldReleaseEvenWhenTheNewReleasesRootfsCannotBeReleased() throws Exception {
        // given: v1 runs; v2's db fails its health check, and its rootfs stays busy after it was stopped
        ContainerReleaseRuntime rt = runtime();
        rt.install(V1, null, recorder);
        unhealthy.add(id(V2, "db"));
        images.busyRootfs.add(id(V2, "db"));

        // when / then
        assertThatThrownBy(() -> rt.install(V2, V1.id(), recorder))
                .isInstanceOfSatisfying(ReleaseRuntime.ReleaseException.class,
                        e -> assertThat(e.failure()).isEqualTo(ReleaseRuntime.Failure.ROLLED_BACK));
        assertThat(rt.current()).isEqualTo(V1);
        assertThat(supervisor.states()).extracting(ServiceState::id)
                .containsExactlyInAnyOrder(id(V1, "web"), id(V1, "db"));
    }

    @Test
    void recoversTheNewReleaseWhenTheTransitionWasCommittedAdoptingItsContainersWithoutRestart() throws Exception {
        // given
        ContainerReleaseRuntime first = runtime();
        first.install(V1, null, recorder);
        first.install(V2, V1.id(), recorder);
        ContainerSpec web = supervisor.spec(id(V2, "web")).orElseThrow();
        ContainerSpec db = supervisor.spec(id(V2, "db")).orElseThrow();
        new ReleaseJournal(dir.resolve("state"), Releases.JSON)
                .save(new ReleaseJournal.State(ReleaseJournal.Phase.COMMITTED, V1, V2, null, 0));
        newSupervisor();
        supervisor.addUnsupervised(web);
        supervisor.addUnsupervised(db);
        supervisor.addUnsupervised(ContainerSpec.builder("stray-x-00000000", dir, List.of("sh")).build());
        // when
        ContainerReleaseRuntime rt = runtime();
        rt.recover();
        // then
        assertThat(supervisor.calls()).contains("adopt " + web.id(), "adopt " + db.id(), "release stray-x-00000000");
        assertThat(supervisor.calls()).noneMatch(c -> c.startsWith("replace") || c.startsWith("restart"));
        assertThat(rt.current()).isEqualTo(V2);
    }

    @Test
    void keepsThePreviousImagesForTheSoakWindowThenCollectsThem() throws Exception {
        // given
        ContainerReleaseRuntime rt = runtime();
        rt.install(V1, null, recorder);
        rt.install(V2, V1.id(), recorder);
        rt.remove(V1.id());
        // when
        rt.collectExpired();
        assertThat(images.stored).contains("reg.local/db:1");
        clock.offset = Duration.ofMinutes(11);
        rt.collectExpired();
        // then
        assertThat(images.stored).containsExactlyInAnyOrder("reg.local/web:2", "reg.local/db:2");
    }

    @Test
    void reportsServiceStatusWithCgroupFiguresAndCpuPercent() throws Exception {
        // given
        ContainerReleaseRuntime rt = runtime();
        rt.install(V1, null, recorder);
        String db = id(V1, "db");
        supervisor.setStats(db, new CgroupStats(1_000_000_000L, 5_000_000, 64L << 20, 0, 0, 3, null));
        rt.services();
        clock.offset = clock.offset.plusSeconds(10);
        supervisor.setStats(db, new CgroupStats(6_000_000_000L, 6_000_000, 64L << 20, 0, 0, 4, null));
        // when
        List<ServiceStatus> s = rt.services();
        // then
        ServiceStatus dbStatus = s.stream().filter(x -> x.name().equals("db")).findFirst().orElseThrow();
        assertThat(dbStatus.state()).isEqualTo("running");
        assertThat(dbStatus.health()).isEqualTo("healthy");
        assertThat(dbStatus.cpuPercent()).isBetween(45.0, 50.1);
        assertThat(dbStatus.memoryBytes()).isEqualTo(6_000_000);
        assertThat(dbStatus.memoryLimitBytes()).isEqualTo(64L << 20);
        assertThat(dbStatus.pids()).isEqualTo(4);
        assertThat(s).extracting(ServiceStatus::name).containsExactly("db", "web");
    }

    @Test
    void removingTheCurrentReleaseStopsItsContainers() throws Exception {
        // given
        ContainerReleaseRuntime rt = runtime();
        rt.install(V1, null, recorder);
        // when
        rt.remove(V1.id());
        // then
        assertThat(supervisor.states()).isEmpty();
        assertThat(rt.current()).isNull();
        assertThat(rt.services()).isEmpty();
    }
}
