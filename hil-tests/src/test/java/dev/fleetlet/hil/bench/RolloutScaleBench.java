package dev.fleetlet.hil.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetlet.hil.demo.LoopbackRegistry;
import dev.fleetlet.hil.server.FleetAdminClient;
import dev.fleetlet.hil.server.InProcessServer;
import dev.fleetlet.hil.sim.FleetSimulator;
import dev.fleetlet.hil.sim.ReleaseBehaviour;
import dev.fleetlet.hil.sim.RolloutScenario;
import dev.fleetlet.hil.sim.SimulatorConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollout dispatch at fleet scale: the fleet server as its own JVM ({@code java -jar fleet-server.jar}, as in
 * {@link IngestBench}), 10,000 simulated devices in this JVM (1 % failing, 0.5 % silent, all on release
 * {@code hub-1.0}), releases pinned through a loopback registry.
 * <ol>
 *   <li><b>cold dispatch</b>: a rollout of {@code hub-2.0} with waves disabled (one group of 100 %, maxConcurrent =
 *       all devices), the first rollout since the server started: its JIT compiles the dispatch path while it runs
 *       (2-3 CPU-s in each JVM). Timed and printed as {@code BENCH rollout-cold ...}.</li>
 *   <li><b>dispatch</b>: the same for {@code hub-3.0}, the figure of the {@code BENCH rollout} line, as on a
 *       server that has run for a while. {@code dispatch_s} runs from just before the start command to the arrival
 *       of the last desired state naming the release at the simulator (every targeted device counted, silent ones
 *       included); the server's CPU (user + system, percent of one core) and its largest RSS (sampled every
 *       100 ms) over that period.</li>
 *   <li><b>waves</b>: a rollout of {@code hub-4.0} with canary 1 % and waves 10/30/100 %, per-wave limit 5 %,
 *       soak 5 s, device timeout 60 s, 2,000 devices at once; every gate decision is printed from the audit API.</li>
 * </ol>
 * The one departure from production defaults: {@code fleetlet.security.pbkdf2-iterations=1000}, so that
 * enrolling 10,000 devices takes seconds instead of minutes; dispatch does not hash anything.
 *
 * <p>Run: {@code ./dev bench rollout-scale} (trial: {@code -Dbench.devices=1000}). Last line:
 * {@code BENCH rollout devices=<n> dispatch_s=<s> cpu_pct=<x> rss_mb=<y>}, after the cold dispatch's
 * {@code BENCH rollout-cold ...} line.
 */
class RolloutScaleBench {

    private static final String ADMIN_PASSWORD = "bench-admin-password-0123456789";

    private final int devices = Integer.getInteger("bench.devices", 10_000);
    private final Path serverJar = Path.of(System.getProperty("bench.serverJar",
            "../fleet-server/" + System.getProperty("fleetlet.build.dir", "target") + "/fleet-server.jar"));
    private final String serverHeap = System.getProperty("bench.serverHeap", "2g");
    /** Extra server JVM options, space separated (e.g. a flight recording for a profile); none by default. */
    private final String serverJvmArgs = System.getProperty("bench.serverJvmArgs", "").trim();
    /** Whether phase 2 (the gated waves) runs after the dispatch; {@code -Dbench.waves=false} for dispatch trials. */
    private final boolean waves = Boolean.parseBoolean(System.getProperty("bench.waves", "true"));

    @TempDir
    Path work;

    @Test
    void dispatchesARolloutToTheWholeFleetThenRunsFourGatedWaves() throws Exception {
        assertThat(serverJar).as("server jar (build fleet-server first)").exists();
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
        int http = InProcessServer.freePort();
        int mqtt = InProcessServer.freePort();
        Path data = Files.createDirectories(work.resolve("server-data"));
        List<String> jvm = new java.util.ArrayList<>(List.of("-Xmx" + serverHeap));
        if (!serverJvmArgs.isEmpty()) {
            jvm.addAll(List.of(serverJvmArgs.split("\\s+")));
        }
        List<String> args = ChildJava.args(jvm.toArray(new String[0]));
        args.addAll(List.of(
                "-Dfleetlet.data-dir=" + data,
                "-Dmicronaut.server.port=" + http,
                "-Dfleetlet.mqtt.host=127.0.0.1",
                "-Dfleetlet.mqtt.port=" + mqtt,
                "-Dfleetlet.mqtt.public-uri=tcp://127.0.0.1:" + mqtt,
                "-Dfleetlet.admin.initial-password=" + ADMIN_PASSWORD,
                "-Dfleetlet.security.pbkdf2-iterations=1000",
                "-jar", serverJar.toAbsolutePath().toString()));
        URI base = URI.create("http://127.0.0.1:" + http);
        try (LoopbackRegistry registry = LoopbackRegistry.start();
             ChildJava server = ChildJava.start(args, Files.createDirectories(work.resolve("logs")).resolve("server.log"))) {
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                    .until(() -> healthy(base) || !server.isAlive());
            assertThat(server.isAlive()).as("fleet server: %s", server.tail(40)).isTrue();
            FleetAdminClient admin = new FleetAdminClient(base, "admin", ADMIN_PASSWORD);
            String v1 = release(admin, registry, "1.0");
            String v2 = release(admin, registry, "2.0");
            String v3 = release(admin, registry, "3.0");
            String v4 = release(admin, registry, "4.0");
            String token = admin.createProvisioningToken("bench", "RolloutScaleBench", null).secret();
            SimulatorConfig config = SimulatorConfig.enrolling(base, token).withMqtt("127.0.0.1", mqtt)
                    .withDevices(devices).withTelemetry(Duration.ofSeconds(60), 1).withConcurrency(16, 500, 2)
                    .withReleases(ReleaseBehaviour.allHealthy().withFractions(0.01, 0.005, 0).withInitialRelease(v1));
            try (FleetSimulator sim = new FleetSimulator(config, Clock.systemUTC())) {
                long t = System.nanoTime();
                sim.start().get(20, TimeUnit.MINUTES);
                assertThat(sim.startErrors()).as("enrollment errors").isEmpty();
                await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> sim.counters().snapshot().connected() >= devices);
                await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2))
                        .until(() -> admin.post("/api/v1/rollouts/preview", Map.of("releaseId", v1, "selector", "",
                                "plan", RolloutScenario.plan(0, List.of(100.0), 10, "PT1S", "PT10S", null, "PAUSE")))
                                .path("devices").asInt() == 0);
                System.out.printf(Locale.ROOT, "rollout-scale: %d devices enrolled, connected and on %s after %.1f s%n",
                        devices, v1, (System.nanoTime() - t) / 1e9);

                // phase 1: the first whole-fleet rollout after the server started (both JVMs compile as they go),
                // then phase 2, the measured one, on JVMs that have dispatched once: a server that has run for a day
                Dispatch cold = dispatch(admin, sim, server, v2, "cold");
                Dispatch warm = dispatch(admin, sim, server, v3, "warm");

                if (waves) {
                    // phase 3: canary and three waves, gated
                    String wavesId = admin.createRollout(v4, "", RolloutScenario.plan(1, List.of(10.0, 30.0, 100.0), 2000,
                            "PT5S", "PT60S", 5.0, "PAUSE")).path("id").asText();
                    long w0 = System.nanoTime();
                    admin.rolloutCommand(wavesId, "start");
                    String end = awaitEnd(admin, wavesId, Set.of("COMPLETED", "PAUSED"), Duration.ofMinutes(15));
                    System.out.printf(Locale.ROOT, "rollout-scale waves: %s after %.1f s%n", end, (System.nanoTime() - w0) / 1e9);
                    print(admin, wavesId);
                }
                System.out.println("rollout-scale simulator " + sim.counters().snapshot());
                System.out.println("rollout-scale load before=" + loadBefore + " after="
                        + Files.readString(Path.of("/proc/loadavg")).trim());
                System.out.printf(Locale.ROOT, "BENCH rollout-cold devices=%d dispatch_s=%.2f cpu_pct=%.1f rss_mb=%.0f "
                        + "server_cpu_s=%.2f simulator_cpu_s=%.2f%n", devices, cold.seconds(), cold.cpuPct(), cold.rssMb(),
                        cold.serverCpuS(), cold.simulatorCpuS());
                System.out.printf(Locale.ROOT, "BENCH rollout devices=%d dispatch_s=%.2f cpu_pct=%.1f rss_mb=%.0f%n",
                        devices, warm.seconds(), warm.cpuPct(), warm.rssMb());
            }
        }
    }

    /** One timed whole-fleet dispatch: seconds to the last receipt at the simulator, the server's CPU and RSS. */
    private record Dispatch(double seconds, double serverCpuS, double cpuPct, double rssMb, double simulatorCpuS) {
    }

    /**
     * Rolls {@code release} out to every device in one group of 100 % and times it from just before the start
     * command to the arrival of the last desired state naming it at the simulator; waits for the rollout to end.
     */
    private Dispatch dispatch(FleetAdminClient admin, FleetSimulator sim, ChildJava server, String release, String label)
            throws Exception {
        String dispatch = admin.createRollout(release, "", RolloutScenario.plan(0, List.of(100.0), devices,
                "PT1S", "PT60S", null, "PAUSE")).path("id").asText();
        AtomicLong maxRssKb = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                maxRssKb.accumulateAndGet(ChildJava.statusKb(server.pid(), "VmRSS:"), Math::max);
                try {
                    Thread.sleep(100); // sampling period, not a wait for a condition
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rss-sampler");
        long cpu0 = server.cpuTicks();
        long simCpu0 = ChildJava.selfCpuTicks();
        Map<String, Long> serverThreads0 = ChildJava.threadCpuTicks(server.pid());
        Map<String, Long> simThreads0 = ChildJava.threadCpuTicks(ProcessHandle.current().pid());
        long t0 = System.nanoTime();
        java.time.Instant startedAt = java.time.Instant.now();
        sampler.start();
        admin.rolloutCommand(dispatch, "start");
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> sim.counters().desiredReceivedFor(release) >= devices);
        long cpu1 = server.cpuTicks();
        long simCpu1 = ChildJava.selfCpuTicks();
        Map<String, Long> serverThreads1 = ChildJava.threadCpuTicks(server.pid());
        Map<String, Long> simThreads1 = ChildJava.threadCpuTicks(ProcessHandle.current().pid());
        long t1 = System.nanoTime();
        sampler.interrupt();
        sampler.join();
        double dispatchS = (sim.counters().lastDesiredReceivedNanos(release) - t0) / 1e9;
        double cpuS = (cpu1 - cpu0) / ChildJava.CLK_TCK;
        double cpuPct = cpuS / ((t1 - t0) / 1e9) * 100;
        double rssMb = maxRssKb.get() / 1024.0;
        double simCpuS = (simCpu1 - simCpu0) / ChildJava.CLK_TCK;
        System.out.printf(Locale.ROOT, "rollout-scale dispatch (%s): %d desired states received in %.2f s, server "
                + "cpu %.2f s = %.1f %% of one core, rss max %.0f MB, simulator (bench JVM) cpu %.2f s, load %s, "
                + "from %s%n", label, devices, dispatchS, cpuS, cpuPct, rssMb, simCpuS,
                Files.readString(Path.of("/proc/loadavg")).trim(), startedAt);
        System.out.println("rollout-scale dispatch (" + label + ") server threads cpu_s: "
                + ChildJava.topThreads(serverThreads0, serverThreads1, 14));
        System.out.println("rollout-scale dispatch (" + label + ") simulator threads cpu_s: "
                + ChildJava.topThreads(simThreads0, simThreads1, 8));
        awaitEnd(admin, dispatch, Set.of("COMPLETED"), Duration.ofMinutes(5));
        // the simulator counts each new generation a device accepts; the engine dispatches every member of
        // this rollout once, so exactly n receipts of the release means n distinct devices received it
        assertThat(sim.counters().desiredReceivedFor(release)).as("desired states naming %s received", release)
                .isEqualTo(devices);
        print(admin, dispatch);
        return new Dispatch(dispatchS, cpuS, cpuPct, rssMb, simCpuS);
    }

    private static String release(FleetAdminClient admin, LoopbackRegistry registry, String version) {
        String image = registry.addImage("fleetlet/hub", version);
        return admin.createRelease("hub", version, RolloutScenario.compose("hub", image)).path("id").asText();
    }

    private static String awaitEnd(FleetAdminClient admin, String id, Set<String> phases, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofSeconds(1))
                .until(() -> phases.contains(RolloutScenario.phase(admin, id)));
        return RolloutScenario.phase(admin, id);
    }

    private static void print(FleetAdminClient admin, String id) {
        for (String line : admin.rolloutAudit(id)) {
            System.out.println("rollout-scale audit " + id + ": " + line);
        }
    }

    private static boolean healthy(URI base) {
        try {
            HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/health"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }
}
