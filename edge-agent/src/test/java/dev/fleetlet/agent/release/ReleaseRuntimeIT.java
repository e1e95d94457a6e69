package dev.fleetlet.agent.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.agent.network.CniAppNetworks;
import dev.fleetlet.agent.network.NetworkConfig;
import dev.fleetlet.agent.runtime.ContainerSpec;
import dev.fleetlet.agent.runtime.RestartPolicy;
import dev.fleetlet.agent.runtime.RestartRule;
import dev.fleetlet.agent.runtime.ServiceState;
import dev.fleetlet.agent.state.ReleaseRuntime;
import dev.fleetlet.oci.ImageReference;
import dev.fleetlet.oci.RegistryCredentials;
import dev.fleetlet.oci.RegistryCredentialsProvider;
import dev.fleetlet.oci.testing.TestImageBuilder;
import dev.fleetlet.oci.testing.TestRegistry;
import dev.fleetlet.protocol.message.Release;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The release runtime end to end: real registry, real image store, real runc through the RuncSupervisor. */
class ReleaseRuntimeIT {

    @RegisterExtension
    static TestRegistry registry = TestRegistry.anonymous();

    @RegisterExtension
    static TestRegistry privateRegistry = TestRegistry.withBasicAuth("rel-user", "rel-Secret-1");

    @TempDir
    static Path images;

    @TempDir
    Path tmp;

    private final List<ReleaseFixture> fixtures = new ArrayList<>();
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final List<String> progress = Collections.synchronizedList(new ArrayList<>());
    private CniAppNetworks networks;
    private NetworkConfig netConfig;

    @BeforeAll
    static void pushImages() throws Exception {
        TestImageBuilder b = new TestImageBuilder(images);
        b.busybox("base", "amd64", Map.of("etc/release", "1"));
        b.derive("base", "two", Map.of("etc/release", "2"), List.of());
        b.derive("base", "three", Map.of("etc/release", "3"), List.of());
        b.push("base", registry, "rel/app", "1", false);
        b.push("two", registry, "rel/app", "2", false);
        b.push("three", registry, "rel/app", "3", false);
        b.busybox("bad", "amd64", Map.of("etc/unique", UUID.randomUUID().toString()));
        b.push("bad", registry, "rel/app", "tampered", false);
        b.push("base", privateRegistry, "private/app", "1", false);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (ReleaseFixture f : fixtures) {
            f.cleanUp();
        }
        if (networks != null) {
            networks.detach("demo");
            new ProcessBuilder("ip", "link", "del", netConfig.bridgeName()).start().waitFor();
        }
    }

    private ReleaseFixture fixture(Path root) {
        ReleaseFixture f = new ReleaseFixture(root, RegistryCredentialsProvider.anonymous(), Set.of(registry.host()),
                ReleaseFixture.SETTINGS, networks);
        f.supervisor.addListener(s -> events.add(s.state() + " " + s.id() + " " + Instant.now().toEpochMilli()));
        fixtures.add(f);
        return f;
    }

    private final ReleaseRuntime.Progress recorder = new ReleaseRuntime.Progress() {
        @Override
        public void downloading(long bytes, Long totalBytes, String message) {
            progress.add("downloading " + bytes + " " + message);
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

    private String image(String tag) {
        return registry.host() + "/rel/app:" + tag;
    }

    private static String main(Release r) {
        return ContainerSpecs.containerId("demo", "main", r.id());
    }

    private long firstEvent(String state, String id) {
        synchronized (events) {
            return events.stream().filter(e -> e.startsWith(state + " " + id + " ")).findFirst()
                    .map(e -> Long.parseLong(e.substring(e.lastIndexOf(' ') + 1))).orElseThrow(
                            () -> new AssertionError("no " + state + " event for " + id + " in " + events));
        }
    }

    private String seen(ReleaseFixture f) throws Exception {
        return Files.readString(f.runc.volumes.ensure("demo_data").resolve("seen"));
    }

    @Test
    void updatesPerStrategyKeepsVolumeDataRollsBackAFailingHealthCheckAndLeavesTheOldReleaseAloneOnPullErrors()
            throws Exception {
        ReleaseFixture f = fixture(tmp.resolve("a"));
        Release v1 = ReleaseFixture.app("demo-1", image("1"), "v1", "download-then-kill", "test -f /data/seen");
        Release v2 = ReleaseFixture.app("demo-2", image("2"), "v2", "download-then-kill", "test -f /data/seen");
        Release v3 = ReleaseFixture.app("demo-3", image("3"), "v3", "kill-then-download", "test -f /data/seen");

        // install, then download-then-kill: the old one stops only after the new image is in, the new starts after
        f.runtime.install(v1, null, recorder);
        assertThat(f.runtime.services()).extracting(s -> s.name() + " " + s.state() + " " + s.health())
                .containsExactly("main running healthy", "side running none");
        f.runtime.install(v2, v1.id(), recorder);
        assertThat(firstEvent("STOPPED", main(v1))).isLessThanOrEqualTo(firstEvent("RUNNING", main(v2)));
        assertThat(f.store.records.get(ImageReference.parse(image("2")).toString())).isPresent();
        assertThat(progress).anyMatch(p -> p.startsWith("downloading") && p.contains(image("2")));
        long dtkGap = f.runtime.lastServiceGap().orElseThrow().toMillis();

        // kill-then-download: stopped before the pull, started after it
        f.runtime.install(v3, v2.id(), recorder);
        assertThat(firstEvent("STOPPED", main(v2))).isLessThanOrEqualTo(firstEvent("RUNNING", main(v3)));
        long ktdGap = f.runtime.lastServiceGap().orElseThrow().toMillis();
        System.out.printf("download-then-kill gap %d ms, kill-then-download gap %d ms%n", dtkGap, ktdGap);
        assertThat(seen(f)).isEqualTo("v1 up\nv2 up\nv3 up\n");

        // a failing health check rolls back to v3, which sees the same volume
        Release v4 = ReleaseFixture.app("demo-4", image("2"), "v4", "download-then-kill", "false");
        assertThatThrownBy(() -> f.runtime.install(v4, v3.id(), recorder))
                .isInstanceOfSatisfying(ReleaseRuntime.ReleaseException.class,
                        e -> assertThat(e.failure()).isEqualTo(ReleaseRuntime.Failure.ROLLED_BACK))
                .hasMessageContaining("service main is unhealthy").hasMessageContaining("rolled back to demo-3");
        assertThat(f.runtime.current()).isEqualTo(v3);
        assertThat(f.supervisor.state(main(v3)).orElseThrow().health()).isEqualTo(dev.fleetlet.agent.runtime.Health.HEALTHY);
        assertThat(f.supervisor.state(main(v4))).isEmpty();
        assertThat(f.runc.runtime.list()).containsExactlyInAnyOrder(main(v3),
                ContainerSpecs.containerId("demo", "side", v3.id()));
        assertThat(seen(f)).isEqualTo("v1 up\nv2 up\nv3 up\nv4 up\nv3 up\n");

        // an unknown tag fails before anything is touched: same process
        long pid = f.runc.runc.state(main(v3)).orElseThrow().pid();
        Release v5 = ReleaseFixture.app("demo-5", image("no-such-tag"), "v5", "download-then-kill", "true");
        assertThatThrownBy(() -> f.runtime.install(v5, v3.id(), recorder))
                .isInstanceOfSatisfying(ReleaseRuntime.ReleaseException.class,
                        e -> assertThat(e.failure()).isEqualTo(ReleaseRuntime.Failure.FAILED))
                .hasMessageContaining("no-such-tag");
        assertThat(f.runc.runc.state(main(v3)).orElseThrow().pid()).isEqualTo(pid);

        // a tampered blob: digest mismatch, old release untouched
        ImageReference bad = ImageReference.parse(image("tampered"));
        String layer = new ObjectMapper().readTree(f.store.registry.fetchManifest(bad, "tampered").body())
                .at("/layers/0/digest").asText();
        try (RandomAccessFile raf = new RandomAccessFile(registry.blobData(layer).toFile(), "rw")) {
            raf.seek(raf.length() / 2);
            int b = raf.read();
            raf.seek(raf.length() / 2);
            raf.write(b ^ 0x55);
        }
        Release v6 = ReleaseFixture.app("demo-6", image("tampered"), "v6", "download-then-kill", "true");
        assertThatThrownBy(() -> f.runtime.install(v6, v3.id(), recorder))
                .isInstanceOfSatisfying(ReleaseRuntime.ReleaseException.class,
                        e -> assertThat(e.failure()).isEqualTo(ReleaseRuntime.Failure.FAILED))
                .hasMessageContaining("DIGEST_MISMATCH");
        assertThat(f.runc.runc.state(main(v3)).orElseThrow().pid()).isEqualTo(pid);
        assertThat(f.runtime.current()).isEqualTo(v3);
    }

    @Test
    void handOverStartsTheNewReleaseInTheAppNetworkBeforeStoppingTheOld() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/lib/cni/bridge")), "CNI plugins missing: apt-get install containernetworking-plugins");
        String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
        Path resolv = Files.writeString(tmp.resolve("host-resolv.conf"), "nameserver 192.0.2.53\n");
        netConfig = new NetworkConfig("flt-rel-" + suffix, "fltrel" + suffix,
                "10.234." + ThreadLocalRandom.current().nextInt(1, 250) + ".0/24", List.of(Path.of("/usr/lib/cni")),
                tmp.resolve("network"), false, resolv, List.of());
        networks = new CniAppNetworks(netConfig);
        ReleaseFixture f = fixture(tmp.resolve("h"));
        Release v1 = ReleaseFixture.app("demo-1", image("1"), "v1", "hand-over", "test -f /data/seen", false);
        Release v2 = ReleaseFixture.app("demo-2", image("2"), "v2", "hand-over", "test -f /data/seen", false);
        f.runtime.install(v1, null, recorder);

        f.runtime.install(v2, v1.id(), recorder);

        assertThat(firstEvent("RUNNING", main(v2))).isLessThan(firstEvent("STOPPED", main(v1)));
        assertThat(f.runtime.lastServiceGap()).hasValue(java.time.Duration.ZERO);
        assertThat(f.runc.runtime.list()).containsExactlyInAnyOrder(main(v2), ContainerSpecs.containerId("demo", "side", v2.id()));
        assertThat(seen(f)).startsWith("v1 up\nv2 up\n");
    }

    @Test
    void pullsAPrivateImageWithRegistryCredentials() throws Exception {
        ReleaseFixture f = new ReleaseFixture(tmp.resolve("p"), RegistryCredentialsProvider.of(Map.of(
                privateRegistry.host(), new RegistryCredentials("rel-user", "rel-Secret-1"))),
                Set.of(privateRegistry.host()), ReleaseFixture.SETTINGS);
        fixtures.add(f);
        Release v1 = ReleaseFixture.app("demo-1", privateRegistry.host() + "/private/app:1", "v1", "download-then-kill",
                "test -f /data/seen");

        f.runtime.install(v1, null, recorder);

        assertThat(f.supervisor.state(main(v1)).orElseThrow().state()).isEqualTo(ServiceState.State.RUNNING);
    }

    @Test
    void aRestartedAgentAdoptsTheRunningReleaseWithoutRestartAndRemovesStrayContainers() throws Exception {
        ReleaseFixture first = fixture(tmp.resolve("r"));
        Release v1 = ReleaseFixture.app("demo-1", image("1"), "v1", "download-then-kill", "test -f /data/seen");
        first.runtime.install(v1, null, recorder);
        first.supervisor.supervise(ContainerSpec.builder("stray-1", first.runc.busyboxRootfs("stray"),
                List.of("sh", "-c", "trap 'exit 0' TERM; while :; do sleep 0.1; done")).build(),
                RestartRule.of(RestartPolicy.NEVER), null);
        long pid = first.runc.runc.state(main(v1)).orElseThrow().pid();
        first.closeAgent();

        ReleaseFixture second = fixture(tmp.resolve("r"));
        second.runtime.recover();

        assertThat(second.runc.runc.state(main(v1)).orElseThrow().pid()).as("adopted, not restarted").isEqualTo(pid);
        assertThat(second.supervisor.state(main(v1)).orElseThrow().restarts()).isZero();
        assertThat(second.runc.runtime.list()).containsExactlyInAnyOrder(main(v1),
                ContainerSpecs.containerId("demo", "side", v1.id()));
        assertThat(seen(second)).isEqualTo("v1 up\n");
    }
}
