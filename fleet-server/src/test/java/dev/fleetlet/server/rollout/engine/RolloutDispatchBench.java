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
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
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
            Map<String, Long> threads0 = threadCpuNanos();
            long jit0 = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
            long gc0 = gcMillis();
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
            Map<String, Long> threads1 = threadCpuNanos();
            long jitMs = ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jit0;
            long gcMs = gcMillis() - gc0;
            long published = desired.publishedCount() - before;
            assertThat(published).as("desired states accepted by the broker").isEqualTo(n);
            assertThat(store.phase(p.id())).contains(Phase.RUNNING);
            double seconds = wall / 1e9;
            double cpuSeconds = (cpu1[0] - cpu0[0]) / 100.0;
            double cpuPct = 100.0 * cpuSeconds / seconds;
            double engineCpu = (threads1.getOrDefault("rollout-engine", 0L) - threads0.getOrDefault("rollout-engine", 0L)) / 1e9;
            double publishCpu = (threads1.getOrDefault("desired-publish", 0L) - threads0.getOrDefault("desired-publish", 0L)) / 1e9;
            StringBuilder top = new StringBuilder();
            threads1.entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), e.getValue() - threads0.getOrDefault(e.getKey(), 0L)))
                    .sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(8)
                    .forEach(e -> top.append(String.format(Locale.ROOT, " %s=%.2f", e.getKey(), e.getValue() / 1e9)));
            System.out.printf(Locale.ROOT, "rollout-dispatch thread cpu_s (top 8, digits folded):%s; jit_ms=%d gc_ms=%d%n",
                    top, jitMs, gcMs);
            System.out.printf(Locale.ROOT, "BENCH rollout-dispatch devices=%d dispatch_s=%.2f first_s=%.2f cpu_pct=%.0f "
                    + "cpu_s=%.2f engine_cpu_s=%.2f publish_cpu_s=%.2f rss_mb=%.0f cores=%d load=%.1f db=h2%n", n, seconds,
                    first / 1e9, cpuPct, cpuSeconds, engineCpu, publishCpu, rssMb(),
                    Runtime.getRuntime().availableProcessors(), loadAverage());
        }
    }

    /** utime+stime of this process in clock ticks (USER_HZ = 100 on Linux). */
    private static long[] cpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12])};
    }

    /**
     * CPU time of the engine thread ("rollout-engine") and of the publishing threads ("desired-publish-*",
     * summed): the two components of dispatch, measured per thread so that other processes' load does not
     * count. A publishing thread that ended between the two readings is missed (the pool keeps its threads).
     */
    private static Map<String, Long> threadCpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> out = new HashMap<>();
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t == null) {
                continue;
            }
            String name = t.getThreadName().startsWith("desired-publish-") ? "desired-publish"
                    : t.getThreadName().replaceAll("\\d+", "N");
            long cpu = mx.getThreadCpuTime(t.getThreadId());
            if (cpu > 0) {
                out.merge(name, cpu, Long::sum);
            }
        }
        return out;
    }

    private static long gcMillis() {
        long ms = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += Math.max(0, gc.getCollectionTime());
        }
        return ms;
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
