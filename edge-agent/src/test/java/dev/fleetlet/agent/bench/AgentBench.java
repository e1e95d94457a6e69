package dev.fleetlet.agent.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.agent.enroll.DeviceCredentials;
import dev.fleetlet.agent.enroll.EnrollOutcome;
import dev.fleetlet.agent.enroll.EnrollmentClient;
import dev.fleetlet.agent.enroll.HardwareProbe;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.protocol.message.EnrollmentRequest;
import dev.fleetlet.protocol.message.HardwareFacts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Footprint of the agent against the least a JVM needs for the same job on the wire (README "Footprint").
 *
 * <p>Setup: the real fleet server ({@code fleet-server/target/fleet-server.jar}, copied with its {@code lib/}
 * into the work folder so a concurrent rebuild cannot pull it away) as its own JVM with a temp data dir and
 * auto-accept enrollment; a provisioning token made through its admin API. The agent is the packaged
 * {@code <build dir>/edge-agent.jar} with its {@code lib/}, copied into the package's layout (as
 * {@code fleetlet-agent.jar}, with {@code src/deb/share/jvm.options}) and started through the package's launcher
 * {@code src/deb/bin/fleetlet-agent --config agent.yml}, so the bench measures what the package runs: its JVM
 * options and {@code MALLOC_ARENA_MAX}. The device is never enrolled
 * before the first run, on the simulated board with three sensors (bme280, sht3x, ads1115) sampled at 1 Hz and
 * {@code telemetry.batchInterval: 1s}.
 *
 * <p>The floor, {@link MqttFloorPeer}, runs with the same {@code jvm.options}, {@code MALLOC_ARENA_MAX=2} and the
 * same (unsigned) Paho jar as a second device (enrolled by this test) and publishes a three-reading batch with QoS 1 every second.
 *
 * <p>Figures: {@code first_telemetry_s}, from {@code ProcessBuilder.start()} of the agent until its first
 * reading is returned by the server's query API ({@code GET /api/v1/devices/{id}/telemetry}, polled every
 * 50 ms: the figure includes enrollment, the MQTT connect, the first 1 s batch, the server's ingest and up to
 * one poll); {@code restart_first_telemetry_s}, the same after a restart with stored credentials. Then, after
 * {@code bench.agent.warmupSeconds} (30), RSS ({@code VmRSS}) and PSS ({@code smaps_rollup}) of both processes
 * every second and their CPU time ({@code utime+stime}) over {@code bench.agent.windowSeconds} (300), with
 * {@code wakeups_per_s} (threads put on a CPU per second, from {@code /proc/<pid>/task/<tid>/schedstat}) and how busy
 * the whole machine was ({@code machine_busy_pct}): an idle process's CPU time is mostly the cost of its wake-ups,
 * and the floor's ~15 wake-ups per second measured 1.75 % of a core on the idle machine but 0.2 % on a busy one
 * (docs/benchmarks.md "agent"), so CPU percentages are only comparable at a similar {@code machine_busy_pct};
 * wake-up counts always are.
 *
 * <p>{@code ./mvnw -B -ntp -o -pl edge-agent -Dfleetlet.build.dir=target-perf package -DskipTests} then
 * {@code ./mvnw -B -ntp -o -Pbench -pl edge-agent -Dfleetlet.build.dir=target-perf test -Dtest=AgentBench
 * -Dsurefire.failIfNoSpecifiedTests=false}
 * (add {@code -Dbench.agent.windowSeconds=30} for a trial run).
 */
class AgentBench {

    private static final String ADMIN_PASSWORD = "bench-" + UUID.randomUUID();
    private static final Duration POLL = Duration.ofMillis(50);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final int windowSeconds = Integer.getInteger("bench.agent.windowSeconds", 300);
    private final int warmupSeconds = Integer.getInteger("bench.agent.warmupSeconds", 30);

    @Test
    void agentAgainstAPahoPublisherFloor() throws Exception {
        Path buildDir = buildDir();
        Path moduleDir = buildDir.getParent();
        Path serverJar = Path.of(System.getProperty("bench.agent.serverJar",
                moduleDir.resolve("../fleet-server/target/fleet-server.jar").normalize().toString()));
        if (!Files.isRegularFile(serverJar)) {
            fail("build fleet-server first: ./mvnw -pl fleet-server -am package -DskipTests (no " + serverJar + ")");
        }
        Path agentJar = buildDir.resolve("edge-agent.jar");
        if (!Files.isRegularFile(agentJar) || !Files.isDirectory(buildDir.resolve("lib"))) {
            fail("package edge-agent first: ./mvnw -B -ntp -o -pl edge-agent -Dfleetlet.build.dir="
                    + buildDir.getFileName() + " package -DskipTests (no " + agentJar + ")");
        }
        Path work = Files.createDirectories(buildDir.resolve("bench-agent").resolve(Long.toString(System.currentTimeMillis())));
        Path server = copyJarWithLib(serverJar, work.resolve("server"));
        // The package's layout: /usr/share/fleetlet-agent/{fleetlet-agent.jar,lib/,jvm.options}
        Path agentHome = work.resolve("agent");
        copyJarWithLib(agentJar, agentHome);
        Files.move(agentHome.resolve(agentJar.getFileName()), agentHome.resolve("fleetlet-agent.jar"));
        Path jvmOptionsFile = Files.copy(moduleDir.resolve("src/deb/share/jvm.options"), agentHome.resolve("jvm.options"));
        List<String> jvmOptions = LauncherOptions.read(jvmOptionsFile);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        System.out.println("load average at start: " + Files.readString(Path.of("/proc/loadavg")).trim());
        System.out.println("JVM options (from src/deb/share/jvm.options): " + String.join(" ", jvmOptions));

        int httpPort = freePort();
        int mqttPort = freePort();
        List<String> serverCmd = List.of(java, "-Xmx384m", "-Dfleetlet.data-dir=" + work.resolve("server-data"),
                "-Dmicronaut.server.port=" + httpPort, "-Dfleetlet.mqtt.host=127.0.0.1",
                "-Dfleetlet.mqtt.port=" + mqttPort, "-Dfleetlet.mqtt.tls.port=" + freePort(),
                "-Dfleetlet.mqtt.public-uri=tcp://127.0.0.1:" + mqttPort,
                "-Dfleetlet.admin.initial-password=" + ADMIN_PASSWORD, "-jar", server.toString());
        URI base = URI.create("http://127.0.0.1:" + httpPort);
        try (ChildProcess fleetServer = ChildProcess.start(serverCmd, Map.of(), work.resolve("server.log"))) {
            await("fleet server /health").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250))
                    .until(() -> healthy(base) || !fleetServer.isAlive());
            assertThat(fleetServer.isAlive()).as("fleet server died:\n%s", fleetServer.tail(40)).isTrue();
            String token = api(base, "POST", "/api/v1/provisioning-tokens",
                    "{\"fleet\":\"bench\",\"description\":\"AgentBench\"}").path("token").asText();

            AgentDirs dirs = AgentDirs.create(work.resolve("device"), base, token);
            // The package's launcher itself (it execs the JVM, so the process is the JVM): its options and
            // MALLOC_ARENA_MAX are what the bench measures.
            List<String> agentCmd = List.of("/bin/sh", moduleDir.resolve("src/deb/bin/fleetlet-agent").toString(),
                    "--config", dirs.config().toString());
            Map<String, String> agentEnv = Map.of("JAVA_HOME", System.getProperty("java.home"),
                    "FLEETLET_HOME", agentHome.toString(), "FLEETLET_LOG_DIR", work.toString(),
                    "FLEETLET_DEFAULTS", work.resolve("no-defaults").toString(),
                    "FLEETLET_JVM_OPTS", "", "FLEETLET_JVM_EXTRA_OPTS", "");
            DeviceCredentials floorDevice = enrollFloorDevice(base, token, work);
            List<String> floorCmd = new ArrayList<>(List.of(java));
            floorCmd.addAll(jvmOptions);
            floorCmd.add("-XX:ErrorFile=" + work.resolve("hs_err_floor_pid%p.log"));
            floorCmd.addAll(List.of("-cp", floorClasspath(agentHome), MqttFloorPeer.class.getName(),
                    floorDevice.mqttUri().toString(), floorDevice.deviceId(), Files.readString(
                            work.resolve("floor-secret"))));

            double firstTelemetryS;
            double restartFirstTelemetryS;
            double firstCpuS;
            double restartCpuS;
            String deviceId;
            try (ChildProcess first = ChildProcess.start(agentCmd, agentEnv, work.resolve("agent-first.log"))) {
                deviceId = awaitDeviceId(dirs, first);
                firstTelemetryS = awaitTelemetry(base, deviceId, null, first);
                firstCpuS = first.cpuTicks() / ChildProcess.CLK_TCK;
            }
            Instant restartAt = Instant.now();
            try (ChildProcess agentProc = ChildProcess.start(agentCmd, agentEnv, work.resolve("agent.log"));
                 ChildProcess floor = ChildProcess.start(floorCmd, Map.of("MALLOC_ARENA_MAX", "2"),
                         work.resolve("floor.log"))) {
                restartFirstTelemetryS = awaitTelemetry(base, deviceId, restartAt, agentProc);
                restartCpuS = agentProc.cpuTicks() / ChildProcess.CLK_TCK;
                // CPU the agent used up to its first telemetry (JVM start, enrollment, connect, first batch): unlike
                // the wall-clock figures, hardly inflated by other load on the machine
                System.out.printf("agent CPU until first telemetry: first start %.2f s, restart %.2f s%n", firstCpuS,
                        restartCpuS);
                await("floor's first PUBACK").atMost(Duration.ofSeconds(60)).pollInterval(POLL)
                        .until(() -> floor.logContains("first-publish-acked") || !floor.isAlive());
                assertThat(floor.isAlive()).as("floor died:\n%s", floor.tail(30)).isTrue();
                double floorFirstS = (System.nanoTime() - floor.startNanos()) / 1e9;

                TimeUnit.SECONDS.sleep(warmupSeconds); // a fixed warm-up, not a condition
                Window a = new Window(agentProc);
                Window f = new Window(floor);
                long[] machine0 = machineTicks();
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(windowSeconds);
                while (System.nanoTime() < end) {
                    TimeUnit.SECONDS.sleep(1);
                    assertThat(agentProc.isAlive()).as("agent died:\n%s", agentProc.tail(30)).isTrue();
                    assertThat(floor.isAlive()).as("floor died:\n%s", floor.tail(30)).isTrue();
                    a.sample();
                    f.sample();
                }
                long[] machine1 = machineTicks();
                double machineBusyPct = 100.0 * (1 - (double) (machine1[1] - machine0[1])
                        / Math.max(1, machine1[0] - machine0[0]));
                long storedLastMinute = api(base, "GET", "/api/v1/devices/" + deviceId + "/telemetry?bucket=raw&limit=10000&from="
                        + Instant.now().minusSeconds(60), null).path("points").size();
                System.out.printf("agent: rss_mb mean=%.1f max=%.1f  pss_mb mean=%.1f max=%.1f  rss_anon_mb=%.1f rss_file_mb=%.1f"
                                + "  cpu_pct=%.3f wakeups_per_s=%.1f us_per_wakeup=%.0f threads=%d%n",
                        a.rssMean(), a.rssMax(), a.pssMean(), a.pssMax(), agentProc.rssAnonKb() / 1024.0,
                        agentProc.rssFileKb() / 1024.0, a.cpuPct(), a.wakeupsPerS(), a.usPerWakeup(), agentProc.threads());
                System.out.printf("floor: rss_mb mean=%.1f max=%.1f  pss_mb mean=%.1f max=%.1f  rss_anon_mb=%.1f rss_file_mb=%.1f"
                                + "  cpu_pct=%.3f wakeups_per_s=%.1f us_per_wakeup=%.0f threads=%d%n",
                        f.rssMean(), f.rssMax(), f.pssMean(), f.pssMax(), floor.rssAnonKb() / 1024.0,
                        floor.rssFileKb() / 1024.0, f.cpuPct(), f.wakeupsPerS(), f.usPerWakeup(), floor.threads());
                System.out.println("agent voluntary wake-ups/s by thread: " + a.wakeupsByThread());
                System.out.println("floor voluntary wake-ups/s by thread: " + f.wakeupsByThread());
                System.out.printf("machine busy during the window: %.0f %% of both cores (CPU per wake-up grows when the "
                        + "machine is idle: compare wakeups_per_s across runs)%n", machineBusyPct);
                System.out.printf("agent readings stored in the last 60 s: %d (3 sensors at 1 Hz: bme280 3 quantities, "
                        + "sht3x 2, ads1115 1 -> 360 expected)%n", storedLastMinute);
                System.out.println("load average at end: " + Files.readString(Path.of("/proc/loadavg")).trim());
                System.out.printf("BENCH agent-floor rss_mb=%.1f pss_mb=%.1f cpu_pct=%.3f first_publish_acked_s=%.2f "
                                + "wakeups_per_s=%.1f%n",
                        f.rssMean(), f.pssMean(), f.cpuPct(), floorFirstS, f.wakeupsPerS());
                System.out.printf("BENCH agent-detail rss_mb=%.1f pss_mb=%.1f rss_max_mb=%.1f pss_max_mb=%.1f "
                                + "cpu_pct=%.3f first_telemetry_s=%.2f restart_first_telemetry_s=%.2f window_s=%d "
                                + "floor_rss_mb=%.1f floor_pss_mb=%.1f floor_cpu_pct=%.3f wakeups_per_s=%.1f "
                                + "floor_wakeups_per_s=%.1f machine_busy_pct=%.0f%n",
                        a.rssMean(), a.pssMean(), a.rssMax(), a.pssMax(), a.cpuPct(), firstTelemetryS,
                        restartFirstTelemetryS, windowSeconds, f.rssMean(), f.pssMean(), f.cpuPct(), a.wakeupsPerS(),
                        f.wakeupsPerS(), machineBusyPct);
                System.out.printf("BENCH agent rss_mb=%.1f cpu_pct=%.3f first_telemetry_s=%.2f%n",
                        a.rssMean(), a.cpuPct(), firstTelemetryS);
                System.out.flush();
                assertThat(storedLastMinute).as("the agent's telemetry reaches the server").isGreaterThan(0);
            }
        }
    }

    /** Memory samples and CPU time of one process over the steady window. */
    private static final class Window {
        private final ChildProcess p;
        private final long cpu0;
        private final long[] sched0;
        private final java.util.Map<String, Long> threads0;
        private java.util.Map<String, Long> threads1;
        private long[] sched1;
        private final long t0 = System.nanoTime();
        private long cpu1;
        private long t1;
        private final List<Long> rss = new ArrayList<>();
        private final List<Long> pss = new ArrayList<>();

        Window(ChildProcess p) {
            this.p = p;
            this.cpu0 = p.cpuTicks();
            this.sched0 = p.schedstat();
            this.sched1 = sched0;
            this.threads0 = p.wakeupsByThreadName();
            this.threads1 = threads0;
        }

        /**
         * Voluntary context switches per second by thread name over the window, the most first (threads alive at both
         * ends): unlike {@link #wakeupsPerS()} without preemptions, so comparable on a loaded machine.
         */
        String wakeupsByThread() {
            double s = (t1 - t0) / 1e9;
            List<java.util.Map.Entry<String, Double>> rates = threads1.entrySet().stream()
                    .filter(e -> threads0.containsKey(e.getKey()))
                    .map(e -> java.util.Map.entry(e.getKey(), (e.getValue() - threads0.get(e.getKey())) / s))
                    .sorted(java.util.Map.Entry.<String, Double>comparingByValue().reversed()).toList();
            return String.format("total=%.1f ", rates.stream().mapToDouble(java.util.Map.Entry::getValue).sum())
                    + rates.stream().filter(e -> e.getValue() >= 0.05)
                    .map(e -> String.format("%s=%.2f", e.getKey().replace(' ', '_'), e.getValue()))
                    .collect(java.util.stream.Collectors.joining(" "));
        }

        void sample() {
            rss.add(p.rssKb());
            pss.add(p.pssKb());
            cpu1 = p.cpuTicks();
            sched1 = p.schedstat();
            threads1 = p.wakeupsByThreadName();
            t1 = System.nanoTime();
        }

        /** Threads put on a CPU per second over the window (threads that ended in between are not counted). */
        double wakeupsPerS() {
            return (sched1[1] - sched0[1]) / ((t1 - t0) / 1e9);
        }

        /** CPU time per wake-up, in microseconds (scheduler accounting). */
        double usPerWakeup() {
            return (sched1[0] - sched0[0]) / 1e3 / Math.max(1, sched1[1] - sched0[1]);
        }

        double rssMean() {
            return rss.stream().mapToLong(Long::longValue).average().orElse(0) / 1024.0;
        }

        double rssMax() {
            return rss.stream().mapToLong(Long::longValue).max().orElse(0) / 1024.0;
        }

        double pssMean() {
            return pss.stream().mapToLong(Long::longValue).average().orElse(0) / 1024.0;
        }

        double pssMax() {
            return pss.stream().mapToLong(Long::longValue).max().orElse(0) / 1024.0;
        }

        double cpuPct() {
            return (cpu1 - cpu0) / ChildProcess.CLK_TCK / ((t1 - t0) / 1e9) * 100.0;
        }
    }

    /** Total and idle (idle + iowait) jiffies of the whole machine, from the first line of /proc/stat. */
    private static long[] machineTicks() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < f.length; i++) {
            total += Long.parseLong(f[i]);
        }
        return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
    }

    private String awaitDeviceId(AgentDirs dirs, ChildProcess agent) {
        Path creds = dirs.data().resolve("identity/credentials.json");
        await("agent enrollment").atMost(Duration.ofSeconds(60)).pollInterval(POLL)
                .until(() -> Files.exists(creds) || !agent.isAlive());
        assertThat(agent.isAlive()).as("agent died:\n%s", agent.tail(30)).isTrue();
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
                .until(() -> json.readTree(creds.toFile()).hasNonNull("deviceId"));
        try {
            return json.readTree(creds.toFile()).get("deviceId").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Seconds from the agent's process start until the query API returns a reading (newer than {@code after}). */
    private double awaitTelemetry(URI base, String deviceId, Instant after, ChildProcess agent) {
        String path = "/api/v1/devices/" + deviceId + "/telemetry?bucket=raw&limit=1"
                + (after == null ? "" : "&from=" + after);
        await("first telemetry of " + deviceId).atMost(Duration.ofSeconds(60)).pollInterval(POLL)
                .until(() -> api(base, "GET", path, null).path("points").size() > 0 || !agent.isAlive());
        double s = (System.nanoTime() - agent.startNanos()) / 1e9;
        assertThat(agent.isAlive()).as("agent died:\n%s", agent.tail(30)).isTrue();
        return s;
    }

    private DeviceCredentials enrollFloorDevice(URI base, String token, Path work) throws Exception {
        String serial = "floor" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(UUID.randomUUID().toString()
                .getBytes(StandardCharsets.UTF_8));
        Files.writeString(work.resolve("floor-secret"), secret);
        HardwareFacts facts = new HardwareProbe(Files.createDirectories(work.resolve("floor-root")), "bench",
                System.getProperty("os.arch")).facts(serial);
        EnrollOutcome outcome = new EnrollmentClient(base, Optional.empty(), Duration.ofSeconds(30),
                new ProtocolCodec()).enroll(new EnrollmentRequest(token, serial, secret, facts));
        assertThat(outcome).as("floor device enrollment").isInstanceOf(EnrollOutcome.Accepted.class);
        return ((EnrollOutcome.Accepted) outcome).credentials();
    }

    /** This test's classes and the agent's Paho jar (lib/, without its signature): nothing else. */
    private static String floorClasspath(Path agentHome) throws URISyntaxException, IOException {
        String testClasses = Path.of(MqttFloorPeer.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        try (Stream<Path> libs = Files.list(agentHome.resolve("lib"))) {
            Path paho = libs.filter(l -> l.getFileName().toString().startsWith("org.eclipse.paho.mqttv5.client"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no Paho jar in " + agentHome.resolve("lib")));
            return testClasses + java.io.File.pathSeparator + paho;
        }
    }

    private static Path buildDir() throws URISyntaxException {
        // <module>/<build dir>/test-classes
        return Path.of(AgentBench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
    }

    private static Path copyJarWithLib(Path jar, Path dir) throws IOException {
        Files.createDirectories(dir.resolve("lib"));
        Path target = dir.resolve(jar.getFileName());
        Files.copy(jar, target, StandardCopyOption.REPLACE_EXISTING);
        try (Stream<Path> libs = Files.list(jar.resolveSibling("lib"))) {
            for (Path lib : (Iterable<Path>) libs::iterator) {
                Files.copy(lib, dir.resolve("lib").resolve(lib.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return target;
    }

    private boolean healthy(URI base) {
        try {
            return http.send(HttpRequest.newBuilder(base.resolve("/health")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private JsonNode api(URI base, String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .header("Accept", "application/json");
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " -> HTTP " + r.statusCode() + ": " + r.body());
        }
        return json.readTree(r.body());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
