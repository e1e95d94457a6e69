package dev.fleetlet.server.rollout.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.server.broker.TestServer;
import dev.fleetlet.server.desired.DesiredStateService;
import dev.fleetlet.server.device.DeviceHardware;
import dev.fleetlet.server.device.DeviceRepository;
import dev.fleetlet.server.device.NewDevice;
import dev.fleetlet.server.rollout.Command;
import dev.fleetlet.server.rollout.Phase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server-side component of rollout dispatch: time from "start" to every targeted device's desired state
 * accepted by the embedded broker (retained publish completed by its in-process publish service; no device is
 * connected, so nothing is delivered), for a rollout with waves disabled: one wave of 100 %, maxConcurrent =
 * all devices. {@code first_s} is when the first desired state was accepted. Server CPU and RSS from /proc/self
 * (the server runs in this JVM). The end-to-end figure (every desired state received by a connected
 * device) is hil-tests' {@code RolloutScaleBench} ({@code scripts/bench.sh rollout-scale}), which prints
 * {@code BENCH rollout ...}; this one prints {@code BENCH rollout-dispatch ...}.
 * Run: {@code scripts/bench.sh rollout} or {@code ./mvnw -B -ntp -Pbench -pl fleet-server surefire:test
 * -Dtest=RolloutDispatchBench -Dbench.devices=10000}.
 */
class RolloutDispatchBench {

    @TempDir
    Path dataDir;

    @Test
    void dispatchesEveryDeviceOfAWavelessRollout() throws Exception {
        int n = Integer.getInteger("bench.devices", 10_000);
        try (TestServer server = TestServer.start(dataDir, Map.of("fleetlet.test.release-catalog", "memory",
                "fleetlet.mqtt.persistence", "file"))) {
            DeviceRepository devices = server.context.getBean(DeviceRepository.class);
            Instant now = Instant.now();
            for (int i = 0; i < n; i++) {
                devices.insert(new NewDevice(String.format("bench-%05d", i), "SER-B-" + i, "bench-" + i, "bench",
                        Map.of("env", "bench"), new DeviceHardware("Pi 4", "arm64", null, 4096L, null, null, "0.1.0", List.of()),
                        null, now));
            }
            RolloutService rollouts = server.context.getBean(RolloutService.class);
            DesiredStateService desired = server.context.getBean(DesiredStateService.class);
            RolloutStore store = server.context.getBean(RolloutStore.class);
            String plan = "{\"waves\":[{\"percent\":100}],\"maxConcurrent\":" + n + ",\"soak\":\"PT1M\","
                    + "\"deviceTimeout\":\"PT10M\",\"onBreach\":\"PAUSE\"}";
            RolloutService.Planned p = rollouts.create(rollouts.validate("app-2", "env=bench",
                    new ObjectMapper().readTree(plan)), "bench");
            assertThat(p.state().devices()).hasSize(n);
            long before = desired.publishedCount();
            long[] cpu0 = cpuTicks();
            long t0 = System.nanoTime();
            rollouts.command(p.id(), Command.Kind.START, "bench");
            long deadline = t0 + 120_000_000_000L;
            long first = -1;
            while (desired.publishedCount() - before < n && desired.publishFailureCount() == 0 && System.nanoTime() < deadline) {
                if (first < 0 && desired.publishedCount() > before) {
                    first = System.nanoTime() - t0;
                }
                Thread.sleep(5);
            }
            long wall = System.nanoTime() - t0;
            long[] cpu1 = cpuTicks();
            long published = desired.publishedCount() - before;
            assertThat(published).as("desired states accepted by the broker").isEqualTo(n);
            assertThat(store.phase(p.id())).contains(Phase.RUNNING);
            double seconds = wall / 1e9;
            double cpuSeconds = (cpu1[0] - cpu0[0]) / 100.0;
            double cpuPct = 100.0 * cpuSeconds / seconds;
            System.out.printf(Locale.ROOT, "BENCH rollout-dispatch devices=%d dispatch_s=%.2f first_s=%.2f cpu_pct=%.0f "
                    + "rss_mb=%.0f cores=%d load=%.1f db=h2%n", n, seconds, first / 1e9, cpuPct, rssMb(),
                    Runtime.getRuntime().availableProcessors(), loadAverage());
        }
    }

    /** utime+stime of this process in clock ticks (USER_HZ = 100 on Linux). */
    private static long[] cpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12])};
    }

    private static double loadAverage() throws IOException {
        return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    }

    private static double rssMb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }
}
