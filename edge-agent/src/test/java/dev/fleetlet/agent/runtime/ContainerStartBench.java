package dev.fleetlet.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.agent.containertest.RuncFixture;
import dev.fleetlet.oci.testing.Exec;
import dev.fleetlet.oci.testing.RequiredTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-to-exit of a busybox {@code true} container: through {@link RuncContainerRuntime}
 * (bundle generation, log pumps, state polling, delete) vs a bare {@code runc run} on a
 * pre-written bundle. Median of 20 runs each.
 */
class ContainerStartBench {
    @TempDir
    Path tmp;

    private RuncFixture fx;

    @AfterEach
    void tearDown() {
        fx.cleanUp();
    }

    @Test
    void startLatencyAgainstRawRunc() throws Exception {
        fx = new RuncFixture(tmp);
        Path rootfs = fx.busyboxRootfs("rootfs");
        String runc = RequiredTool.path("runc", "runc");
        Path bundle = Files.createDirectories(tmp.resolve("raw-bundle"));
        OciSpec spec = new OciSpecGenerator(fx.volumes, DeviceInspector.host(),
                CgroupControllers.read(Path.of("/proc/cgroups")))
                .generate(ContainerSpec.builder("raw", rootfs, List.of("true")).build());
        new ObjectMapper().writeValue(bundle.resolve("config.json").toFile(), spec);

        List<Long> ours = new ArrayList<>();
        List<Long> raw = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long t0 = System.nanoTime();
            fx.runtime.start(ContainerSpec.builder("b" + i, rootfs, List.of("true")).build());
            assertThat(fx.runtime.awaitExit("b" + i, Duration.ofSeconds(10))).contains(0);
            fx.runtime.remove("b" + i);
            ours.add((System.nanoTime() - t0) / 1000);

            long t1 = System.nanoTime();
            Exec.run(runc, "--root", tmp.resolve("raw-state").toString(), "run", "--bundle", bundle.toString(), "raw" + i);
            raw.add((System.nanoTime() - t1) / 1000);
        }
        System.out.printf("BENCH container-start fleetletRunExitRemoveMs=%.1f rawRuncRunMs=%.1f runs=20%n",
                median(ours) / 1000.0, median(raw) / 1000.0);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
