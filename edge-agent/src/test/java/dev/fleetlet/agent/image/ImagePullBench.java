package dev.fleetlet.agent.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.agent.containertest.StoreFixture;
import dev.fleetlet.oci.ImageReference;
import dev.fleetlet.oci.testing.Exec;
import dev.fleetlet.oci.testing.RequiredTool;
import dev.fleetlet.oci.testing.TestImageBuilder;
import dev.fleetlet.oci.testing.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pull of a ~20 MB image from a loopback docker-registry: the agent's puller vs {@code skopeo copy}
 * into an OCI layout (both download and verify every blob). Median of 5 runs each, fresh store per run.
 */
class ImagePullBench {
    @RegisterExtension
    static TestRegistry registry = TestRegistry.anonymous();

    @TempDir
    Path tmp;

    @Test
    void pullThroughputAgainstSkopeo() throws Exception {
        byte[] noise = new byte[15 * 1024 * 1024];
        new Random(7).nextBytes(noise);
        TestImageBuilder b = new TestImageBuilder(tmp.resolve("build"));
        b.busybox("big", "amd64", Map.of("data/noise.b64", Base64.getEncoder().encodeToString(noise)));
        b.push("big", registry, "bench/big", "1", false);
        String ref = registry.host() + "/bench/big:1";
        String skopeo = RequiredTool.path("skopeo", "skopeo");

        List<Long> ours = new ArrayList<>();
        List<Long> theirs = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < 5; i++) {
            StoreFixture s = new StoreFixture(tmp.resolve("store-" + i), registry.host());
            long t0 = System.nanoTime();
            ImagePuller.PullResult r = s.puller.pull(ImageReference.parse(ref));
            ours.add((System.nanoTime() - t0) / 1_000_000);
            bytes = r.bytesTransferred();

            Path layout = tmp.resolve("skopeo-" + i);
            long t1 = System.nanoTime();
            Exec.run(skopeo, "copy", "--quiet", "--src-tls-verify=false", "docker://" + ref, "oci:" + layout + ":1");
            theirs.add((System.nanoTime() - t1) / 1_000_000);
            assertThat(Files.exists(layout.resolve("index.json"))).isTrue();
        }
        long oursMs = median(ours);
        long skopeoMs = median(theirs);
        double mb = bytes / 1e6;
        System.out.printf("BENCH image-pull bytes=%d fleetletMs=%d fleetletMBps=%.1f skopeoMs=%d skopeoMBps=%.1f runsFleetlet=%s runsSkopeo=%s%n",
                bytes, oursMs, mb / (oursMs / 1000.0), skopeoMs, mb / (skopeoMs / 1000.0), ours, theirs);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
