package dev.fleetlet.agent.release;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.agent.containertest.StoreFixture;
import dev.fleetlet.agent.network.CniAppNetworks;
import dev.fleetlet.agent.network.NetworkConfig;
import dev.fleetlet.agent.runtime.CgroupControllers;
import dev.fleetlet.agent.runtime.ContainerSpec;
import dev.fleetlet.agent.runtime.DeviceInspector;
import dev.fleetlet.agent.runtime.OciSpec;
import dev.fleetlet.agent.runtime.OciSpecGenerator;
import dev.fleetlet.agent.state.ReleaseRuntime;
import dev.fleetlet.oci.ImageReference;
import dev.fleetlet.oci.RegistryCredentialsProvider;
import dev.fleetlet.oci.testing.Exec;
import dev.fleetlet.oci.testing.RequiredTool;
import dev.fleetlet.oci.testing.TestImageBuilder;
import dev.fleetlet.oci.testing.TestRegistry;
import dev.fleetlet.protocol.message.Release;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release runtime against the tools it replaces (run with {@code -Pbench}, see docs/benchmarks.md):
 * <ul>
 * <li>{@code start_ratio}: install of a one-service release whose image is in the store, until the container
 *     runs (settle window 0), over a raw {@code runc run --detach} of a bundle for the same rootfs and process;
 *     medians of 10. "Runs" is the same point on both sides: runc has started the container's process (runc's
 *     state is {@code running}); the agent's runc writes its pid file right then, and {@code --detach} returns
 *     right then. The agent side includes the overlay mount of the rootfs, which the raw side reuses;</li>
 * <li>{@code pull_ratio}: agent pull throughput of a ~20 MB image over {@code skopeo copy} throughput of the same
 *     image from the same loopback registry, each into an empty store, the two sides alternating; medians of 15 after one uncounted warm-up run of
 *     each (the agent fsyncs every blob before it counts as stored; skopeo does not);</li>
 * <li>{@code handover_gap_s}: a hand-over update (images present) of a service appending a heartbeat (the host's
 *     uptime, 10 ms resolution) to a shared volume every 50 ms: the longest time between two consecutive
 *     heartbeats of either release from the start to the end of the update. It includes the 50 ms period, so
 *     about 0.05 s means no gap.</li>
 * </ul>
 */
class ContainerReleaseBench {

    @RegisterExtension
    static TestRegistry registry = TestRegistry.anonymous();

    @TempDir
    Path tmp;

    private final List<ReleaseFixture> fixtures = new ArrayList<>();
    private CniAppNetworks networks;
    private NetworkConfig netConfig;

    @AfterEach
    void tearDown() throws Exception {
        fixtures.forEach(ReleaseFixture::cleanUp);
        if (networks != null) {
            networks.detach("beat");
            new ProcessBuilder("ip", "link", "del", netConfig.bridgeName()).start().waitFor();
        }
    }

    private static final ReleaseRuntime.Progress QUIET = new ReleaseRuntime.Progress() {
        @Override
        public void downloading(long bytes, Long totalBytes, String message) {
        }

        @Override
        public void starting(String message) {
        }

        @Override
        public void healthy(String message) {
        }
    };

    @Test
    void releaseRuntimeAgainstRawRuncAndSkopeo() throws Exception {
        TestImageBuilder b = new TestImageBuilder(tmp.resolve("build"));
        b.busybox("base", "amd64", Map.of("etc/release", "1"));
        b.derive("base", "two", Map.of("etc/release", "2"), List.of());
        b.push("base", registry, "bench/app", "1", false);
        b.push("two", registry, "bench/app", "2", false);
        byte[] noise = new byte[15 * 1024 * 1024];
        new Random(7).nextBytes(noise);
        b.busybox("big", "amd64", Map.of("data/noise.b64", Base64.getEncoder().encodeToString(noise)));
        b.push("big", registry, "bench/big", "1", false);

        double startRatio = startRatio();
        double pullRatio = pullRatio();
        double gap = handoverGap();
        System.out.printf("BENCH containers start_ratio=%.2f pull_ratio=%.2f handover_gap_s=%.3f%n", startRatio, pullRatio, gap);
    }

    private double startRatio() throws Exception {
        ReleaseSettings noSettle = new ReleaseSettings(Duration.ofMinutes(10), Duration.ZERO, Duration.ofSeconds(10), 3,
                Duration.ofSeconds(2));
        ReleaseFixture f = new ReleaseFixture(tmp.resolve("start"), RegistryCredentialsProvider.anonymous(),
                Set.of(registry.host()), noSettle);
        fixtures.add(f);
        // pinned by digest as the server pins every release image; pulled first: what is timed is the start
        String tagged = registry.host() + "/bench/app:1";
        String image = tagged + "@" + f.store.puller.pull(ImageReference.parse(tagged)).record()
                .manifestDigest();
        List<String> args = List.of("sh", "-c", "trap 'exit 0' TERM; while :; do sleep 0.1; done");
        f.images.pull(image);
        String runc = RequiredTool.path("runc", "runc");
        Path rawState = tmp.resolve("raw-state");
        List<Long> ours = new ArrayList<>();
        List<Long> raw = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Release r = Releases.of("start-" + i, "start", """
                    {"services": {"s": {"image": "%s", "network_mode": "host", "command": ["sh", "-c",
                     "trap 'exit 0' TERM; while :; do sleep 0.1; done"]}}}""".formatted(image));
            long t0 = System.nanoTime();
            f.runtime.install(r, null, QUIET);
            ours.add((System.nanoTime() - t0) / 1000);
            String id = ContainerSpecs.containerId("start", "s", r.id());
            assertThat(f.runc.runc.state(id).orElseThrow().status()).isEqualTo("running");
            Path rootfs = f.images.rootfs(id, image);

            Path bundle = Files.createDirectories(tmp.resolve("raw-bundle-" + i));
            OciSpec spec = new OciSpecGenerator(f.runc.volumes, DeviceInspector.host(),
                    CgroupControllers.read(Path.of("/proc/cgroups")))
                    .generate(ContainerSpec.builder("raw" + i, rootfs, args).hostNetwork(true).build());
            new ObjectMapper().writeValue(bundle.resolve("config.json").toFile(), spec);
            long t1 = System.nanoTime();
            int code = new ProcessBuilder(runc, "--root", rawState.toString(), "run", "--detach", "--bundle",
                    bundle.toString(), "raw" + i).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            raw.add((System.nanoTime() - t1) / 1000);
            assertThat(code).isZero();
            Exec.run(runc, "--root", rawState.toString(), "delete", "--force", "raw" + i);
            f.runtime.remove(r.id());
        }
        System.out.printf("start: agentInstallToRunningMs=%.1f rawRuncRunDetachMs=%.1f runs=10%n",
                median(ours) / 1000.0, median(raw) / 1000.0);
        return (double) median(ours) / median(raw);
    }

    private double pullRatio() throws Exception {
        String ref = registry.host() + "/bench/big:1";
        String skopeo = RequiredTool.path("skopeo", "skopeo");
        List<Long> ours = new ArrayList<>();
        List<Long> theirs = new ArrayList<>();
        long bytes = 0;
        // run 0 of each side warms up (JIT, page cache of the registry's files) and is not counted
        for (int i = 0; i <= 15; i++) {
            StoreFixture s = new StoreFixture(tmp.resolve("pull-" + i), registry.host());
            dev.fleetlet.agent.release.internal.StoreReleaseImages images = new dev.fleetlet.agent.release.internal
                    .StoreReleaseImages(s.puller, s.records, s.blobs, s.rootfs, s.gc, tmp.resolve("pull-ct-" + i),
                    new ObjectMapper());
            long t0 = System.nanoTime();
            bytes = images.pull(ref).bytesTransferred();
            long agentMs = (System.nanoTime() - t0) / 1_000_000;
            Path layout = tmp.resolve("skopeo-" + i);
            long t1 = System.nanoTime();
            Exec.run(skopeo, "copy", "--quiet", "--src-tls-verify=false", "docker://" + ref, "oci:" + layout + ":1");
            long skopeoMs = (System.nanoTime() - t1) / 1_000_000;
            if (i > 0) {
                ours.add(agentMs);
                theirs.add(skopeoMs);
            }
        }
        System.out.printf("pull: bytes=%d agentMs=%d skopeoMs=%d runsAgent=%s runsSkopeo=%s%n", bytes, median(ours),
                median(theirs), ours, theirs);
        return (double) median(theirs) / median(ours);
    }

    private double handoverGap() throws Exception {
        String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
        Path resolv = Files.writeString(tmp.resolve("host-resolv.conf"), "nameserver 192.0.2.53\n");
        netConfig = new NetworkConfig("flt-bn-" + suffix, "fltbn" + suffix,
                "10.235." + ThreadLocalRandom.current().nextInt(1, 250) + ".0/24", List.of(Path.of("/usr/lib/cni")),
                tmp.resolve("network"), false, resolv, List.of());
        networks = new CniAppNetworks(netConfig);
        ReleaseFixture f = new ReleaseFixture(tmp.resolve("handover"), RegistryCredentialsProvider.anonymous(),
                Set.of(registry.host()), ReleaseFixture.SETTINGS, networks);
        fixtures.add(f);
        Release v1 = beat("beat-1", registry.host() + "/bench/app:1", "v1");
        Release v2 = beat("beat-2", registry.host() + "/bench/app:2", "v2");
        f.images.pull(registry.host() + "/bench/app:2");
        f.runtime.install(v1, null, QUIET);
        double t0 = uptime();
        f.runtime.install(v2, v1.id(), QUIET);
        double t1 = uptime();
        List<Double> beats = new ArrayList<>();
        for (String line : Files.readAllLines(f.runc.volumes.ensure("beat_data").resolve("beat"))) {
            beats.add(Double.parseDouble(line.split(" ")[1]));
        }
        Collections.sort(beats);
        double worst = 0;
        for (int i = 1; i < beats.size(); i++) {
            if (beats.get(i) >= t0 && beats.get(i - 1) <= t1) {
                worst = Math.max(worst, beats.get(i) - beats.get(i - 1));
            }
        }
        System.out.printf("handover: updateS=%.2f heartbeats=%d longestIntervalS=%.3f%n", t1 - t0, beats.size(), worst);
        return worst;
    }

    private static Release beat(String id, String image, String label) {
        return Releases.of(id, "beat", """
                {"services": {"b": {"image": "%s", "environment": {"LABEL": "%s"}, "volumes": ["data:/data"],
                  "command": ["sh", "-c", "trap 'exit 0' TERM; while :; do echo \\"$LABEL $(cut -d' ' -f1 /proc/uptime)\\" >> /data/beat; usleep 50000; done"],
                  "healthcheck": {"test": ["CMD-SHELL", "test -s /data/beat"], "interval": "100ms", "timeout": "2s", "retries": 3}}},
                 "volumes": {"data": {}},
                 "x-fleetlet": {"update_strategy": "hand-over"}}""".formatted(image, label));
    }

    private static double uptime() throws IOException {
        return Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
