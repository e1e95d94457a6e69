package dev.fleetlet.hil.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import dev.fleetlet.hil.server.FleetAdminClient;
import dev.fleetlet.hil.server.InProcessServer;
import dev.fleetlet.hil.sim.FleetSimulator;
import dev.fleetlet.hil.sim.SimulatorConfig;
import dev.fleetlet.hil.sim.SimulatorCounters;
import dev.fleetlet.protocol.TopicKind;
import dev.fleetlet.protocol.Topics;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest throughput of the fleet server against the raw limit of its embedded broker, under the same
 * simulated load, on this machine.
 *
 * <p>Both runs offer the same load: {@code bench.devices} devices (default 10,000) each sending a batch of
 * {@code bench.readings} readings (default 10) every {@code bench.interval} (default PT10S), spread evenly
 * over the interval. After all devices are connected, a warm-up of one interval and — for the server — the
 * end of any backlog (at most two seconds' worth of batches awaiting their PUBACK, which the server sends
 * after the commit), readings are counted for {@code bench.duration} (default PT60S):
 * <ol>
 *   <li><b>raw</b>: a bare embedded HiveMQ CE in its own JVM (in-memory persistence, no extension, so no
 *       authentication, ACL or schema check), readings counted as they reach a 4-client shared subscription
 *       in this JVM;</li>
 *   <li><b>ingest</b>: {@code java -jar fleet-server/target/fleet-server.jar} in its own JVM (temp data dir,
 *       H2 file database), devices enroll over REST and connect with their own credentials; readings
 *       counted by the server's {@code fleetlet.telemetry.readings.stored} counter (committed rows), and
 *       checked afterwards through the telemetry query API for a sample of devices.</li>
 * </ol>
 * With the same offered load, {@code ratio = readings_per_s / raw_per_s} says how much of what the bare
 * broker delivers the server persists: 1.0 means it keeps up with the load, less means it falls behind
 * (or refuses). It is not a ratio of maximum capacities; for that, raise the load (more devices, a shorter
 * interval) until {@code raw_per_s} stops following the offered load, and run both at that load.
 *
 * <p>The simulator runs in this JVM on the same 2 cores as the server: its CPU use (reported) is taken
 * from the server's budget. The server runs with its production defaults (secret hashing included); the
 * enrollment of all devices is timed separately and is not part of the ingest window.
 *
 * <p>Run: {@code ./mvnw -B -ntp -Pbench -pl hil-tests -am verify -Dtest=IngestBench
 * -Dsurefire.failIfNoSpecifiedTests=false} (small first: {@code -Dbench.devices=500 -Dbench.duration=PT20S}).
 */
class IngestBench {

    private static final String ADMIN_PASSWORD = "bench-admin-password-0123456789";

    private final int devices = Integer.getInteger("bench.devices", 10_000);
    private final int readings = Integer.getInteger("bench.readings", 10);
    private final Duration interval = Duration.parse(System.getProperty("bench.interval", "PT10S"));
    private final Duration duration = Duration.parse(System.getProperty("bench.duration", "PT60S"));
    private final Duration warmup = Duration.parse(System.getProperty("bench.warmup", interval.toString()));
    private final Duration steadyTimeout = Duration.parse(System.getProperty("bench.steadyTimeout", "PT5M"));
    private final int connectConcurrency = Integer.getInteger("bench.connectConcurrency", 500);
    private final Path serverJar = Path.of(System.getProperty("bench.serverJar",
            "../fleet-server/" + System.getProperty("fleetlet.build.dir", "target") + "/fleet-server.jar"));
    private final String serverHeap = System.getProperty("bench.serverHeap", "2g");
    /** Skips the raw phase (before/after comparisons of the server alone); the BENCH line then has raw_per_s=NaN. */
    private final boolean skipRaw = Boolean.getBoolean("bench.skipRaw");

    @TempDir
    Path work;

    /** Child process logs are kept here (not in the temp dir) for a look after the run. */
    private final Path logs = Path.of(System.getProperty("fleetlet.build.dir", "target"), "bench-logs");

    record Phase(double readingsPerS, double ackedPerS, double connectS, double enrollS, double cpuPct, double rssMb, double peakRssMb,
                 double simCpuPct, long windowBatchFailures, long windowDisconnects, SimulatorCounters.Snapshot counters,
                 String verification) {

        Phase verified(String result) {
            return new Phase(readingsPerS, ackedPerS, connectS, enrollS, cpuPct, rssMb, peakRssMb, simCpuPct,
                    windowBatchFailures, windowDisconnects, counters, result);
        }
    }

    @Test
    void ingestKeepsUpWithTheRawBrokerUnderTheSameLoad() throws Exception {
        double offered = devices * (double) readings / (interval.toMillis() / 1000.0);
        System.out.printf(Locale.ROOT, "bench load: devices=%d readings_per_batch=%d interval=%s offered_readings_per_s=%.0f "
                + "warmup=%s window=%s%n", devices, readings, interval, offered, warmup, duration);

        Phase raw = skipRaw ? new Phase(Double.NaN, Double.NaN, 0, 0, 0, 0, 0, 0, 0, 0, null, null) : rawPhase();
        System.out.printf(Locale.ROOT, "BENCH-PHASE raw readings_per_s=%.1f acked_per_s=%.1f connect_s=%.1f broker_cpu_pct=%.1f "
                + "broker_rss_mb=%.0f sim_cpu_pct=%.1f window_batch_failures=%d window_disconnects=%d counters=%s%n",
                raw.readingsPerS(), raw.ackedPerS(), raw.connectS(), raw.cpuPct(), raw.rssMb(), raw.simCpuPct(),
                raw.windowBatchFailures(), raw.windowDisconnects(), raw.counters());

        Phase ingest = ingestPhase();
        System.out.printf(Locale.ROOT, "BENCH-PHASE ingest readings_per_s=%.1f acked_per_s=%.1f enroll_s=%.1f connect_s=%.1f "
                + "server_cpu_pct=%.1f server_rss_mb=%.0f server_peak_rss_mb=%.0f sim_cpu_pct=%.1f window_batch_failures=%d "
                + "window_disconnects=%d counters=%s%n",
                ingest.readingsPerS(), ingest.ackedPerS(), ingest.enrollS(), ingest.connectS(), ingest.cpuPct(), ingest.rssMb(),
                ingest.peakRssMb(), ingest.simCpuPct(), ingest.windowBatchFailures(), ingest.windowDisconnects(),
                ingest.counters());

        System.out.println("query API check: " + ingest.verification());
        double ratio = ingest.readingsPerS() / raw.readingsPerS();
        System.out.printf(Locale.ROOT, "target ingest >= 0.8 x raw: %s (cpu_pct is percent of one core; this machine has %d)%n",
                ratio >= 0.8 ? "met" : "NOT met", Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "BENCH ingest devices=%d readings_per_s=%.1f raw_per_s=%.1f ratio=%.3f cpu_pct=%.1f rss_mb=%.0f%n",
                devices, ingest.readingsPerS(), raw.readingsPerS(), ratio, ingest.cpuPct(), ingest.rssMb());

        assertThat(raw.readingsPerS()).as("raw broker delivered readings").isPositive();
        assertThat(ingest.readingsPerS()).as("server persisted readings").isPositive();
        assertThat(ingest.verification()).startsWith("ok");
    }

    private Phase rawPhase() throws Exception {
        int port = InProcessServer.freePort();
        Path dir = Files.createDirectories(work.resolve("raw"));
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        try (ChildJava broker = ChildJava.start(ChildJava.args("-Xmx2g", "-cp", cp, RawBrokerMain.class.getName(),
                dir.toString(), Integer.toString(port)), logFile("raw-broker.log"))) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .until(() -> Files.readString(broker.log()).contains("READY") || !broker.isAlive());
            assertThat(broker.isAlive()).as("raw broker: %s", broker.tail(30)).isTrue();

            LongAdder received = new LongAdder();
            List<Mqtt5AsyncClient> subscribers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Mqtt5AsyncClient sub = Mqtt5Client.builder().identifier("bench-sub-" + i).serverHost("127.0.0.1")
                        .serverPort(port).buildAsync();
                sub.connect().get(10, TimeUnit.SECONDS);
                sub.subscribeWith().topicFilter("$share/bench/" + Topics.allDevices(TopicKind.TELEMETRY))
                        .qos(MqttQos.AT_LEAST_ONCE).callback(p -> received.add(readings)).send().get(10, TimeUnit.SECONDS);
                subscribers.add(sub);
            }
            SimulatorConfig config = SimulatorConfig.direct("127.0.0.1", port).withDevices(devices)
                    .withTelemetry(interval, readings).withConcurrency(16, connectConcurrency, 2);
            try (FleetSimulator sim = new FleetSimulator(config, Clock.systemUTC())) {
                Instant t0 = Instant.now();
                sim.start();
                awaitConnected(sim);
                double connectS = seconds(t0);
                warmUp(sim, "raw");
                return measure(sim, broker, received::sum, 0, connectS);
            } finally {
                for (Mqtt5AsyncClient s : subscribers) {
                    s.disconnect();
                }
            }
        }
    }

    private Phase ingestPhase() throws Exception {
        assertThat(serverJar).as("server jar (build fleet-server first, or use -am)").exists();
        int http = InProcessServer.freePort();
        int mqtt = InProcessServer.freePort();
        Path data = Files.createDirectories(work.resolve("server-data"));
        List<String> args = ChildJava.args("-Xmx" + serverHeap,
                "-Dfleetlet.data-dir=" + data,
                "-Dmicronaut.server.port=" + http,
                "-Dfleetlet.mqtt.host=127.0.0.1",
                "-Dfleetlet.mqtt.port=" + mqtt,
                "-Dfleetlet.mqtt.public-uri=tcp://127.0.0.1:" + mqtt,
                "-Dfleetlet.admin.initial-password=" + ADMIN_PASSWORD,
                "-jar", serverJar.toAbsolutePath().toString());
        URI base = URI.create("http://127.0.0.1:" + http);
        try (ChildJava server = ChildJava.start(args, logFile("server.log"))) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> healthy(base) || !server.isAlive());
            assertThat(server.isAlive()).as("fleet server: %s", server.tail(40)).isTrue();
            FleetAdminClient admin = new FleetAdminClient(base, "admin", ADMIN_PASSWORD);
            String token = admin.createProvisioningToken("bench", "IngestBench", null).secret();
            SimulatorConfig config = SimulatorConfig.enrolling(base, token).withMqtt("127.0.0.1", mqtt)
                    .withDevices(devices).withTelemetry(interval, readings).withConcurrency(16, connectConcurrency, 2);
            Instant runStart = Instant.now();
            Phase phase;
            FleetSimulator sim = new FleetSimulator(config, Clock.systemUTC());
            BurstSampler burst = new BurstSampler(() -> sim.counters().snapshot().batchFailures());
            try (sim; burst) {
                sim.start();
                await().atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofMillis(500))
                        .until(() -> sim.counters().snapshot().enrolled() + sim.startErrors().size() >= devices);
                double enrollS = seconds(runStart);
                assertThat(sim.startErrors()).as("enrollment errors").isEmpty();
                awaitConnected(sim);
                double connectS = seconds(runStart) - enrollS;
                warmUp(sim, "ingest");
                phase = measure(sim, server, () -> storedReadings(admin), enrollS, connectS);
                System.out.println("BENCH-BURST ingest " + burst.describe());
            }
            // after close: every batch is acknowledged, refused or dropped with its connection
            return phase.verified(verifyQueryable(admin, sim.lastSeqByDevice(), sim.ackedBatchesByDevice(), runStart));
        }
    }

    private Path logFile(String name) throws java.io.IOException {
        return Files.createDirectories(logs).resolve(name);
    }

    private Phase measure(FleetSimulator sim, ChildJava proc, java.util.function.LongSupplier count, double enrollS,
                          double connectS) throws InterruptedException {
        long c0 = count.getAsLong();
        SimulatorCounters.Snapshot s0 = sim.counters().snapshot();
        long a0 = s0.readingsAcked();
        long cpu0 = proc.cpuTicks();
        long self0 = ChildJava.selfCpuTicks();
        long t0 = System.nanoTime();
        TimeUnit.MILLISECONDS.sleep(duration.toMillis());
        long c1 = count.getAsLong();
        SimulatorCounters.Snapshot s1 = sim.counters().snapshot();
        long a1 = s1.readingsAcked();
        long cpu1 = proc.cpuTicks();
        long self1 = ChildJava.selfCpuTicks();
        double secs = (System.nanoTime() - t0) / 1e9;
        double cpuPct = (cpu1 - cpu0) / ChildJava.CLK_TCK / secs * 100.0;
        double simPct = (self1 - self0) / ChildJava.CLK_TCK / secs * 100.0;
        return new Phase((c1 - c0) / secs, (a1 - a0) / secs, connectS, enrollS, cpuPct, proc.rssMb(), proc.peakRssMb(), simPct,
                s1.batchFailures() - s0.batchFailures(), s1.disconnects() - s0.disconnects(), s1, null);
    }

    /**
     * Waits one warm-up, then until the backlog is gone: at most two seconds' worth of batches waiting for
     * their PUBACK (the server acknowledges after the commit, so a backlog means it is still catching up,
     * e.g. after the enrollment burst). Measuring before that would count the catch-up as throughput.
     */
    private void warmUp(FleetSimulator sim, String phase) throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(warmup.toMillis());
        long steadyLimit = Math.max(50, 2L * devices * 1000 / interval.toMillis());
        long t0 = System.nanoTime();
        try {
            await().atMost(steadyTimeout).pollInterval(Duration.ofMillis(500))
                    .until(() -> sim.counters().snapshot().batchesInFlight() <= steadyLimit);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            System.out.printf(Locale.ROOT, "%s: still %d batches in flight after %s, measuring anyway%n", phase,
                    sim.counters().snapshot().batchesInFlight(), steadyTimeout);
        }
        System.out.printf(Locale.ROOT, "%s: steady after warm-up + %.1f s (in flight %d, limit %d)%n", phase,
                (System.nanoTime() - t0) / 1e9, sim.counters().snapshot().batchesInFlight(), steadyLimit);
    }

    private void awaitConnected(FleetSimulator sim) {
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> sim.counters().snapshot().connected() >= devices);
    }

    /** Sum of the server's committed-readings counter, from its Prometheus endpoint. */
    private static long storedReadings(FleetAdminClient admin) {
        String text = admin.getText("/prometheus");
        double sum = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
            if (line.startsWith("fleetlet_telemetry_readings_stored_total")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        assertThat(found).as("fleetlet_telemetry_readings_stored_total in /prometheus").isTrue();
        return (long) sum;
    }

    /**
     * For 20 devices, the query API must return every reading of every batch the server acknowledged (it
     * acknowledges after the commit) and nothing beyond what was sent. Returns a description of a mismatch,
     * or "ok ..." — the benchmark prints its figures first and fails afterwards.
     */
    private String verifyQueryable(FleetAdminClient admin, Map<String, Long> lastSeq, Map<String, Long> acked,
                                   Instant from) {
        List<String> sample = lastSeq.keySet().stream().sorted().limit(20).toList();
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                for (String id : sample) {
                    JsonNode answer = admin.get("/api/v1/devices/" + id + "/telemetry?bucket=raw&limit=10000&from="
                            + from.minusSeconds(60));
                    long points = answer.path("points").size();
                    long sent = lastSeq.get(id) * readings;
                    long ackedReadings = acked.get(id) * readings;
                    assertThat(points).as("points of %s (acked %d, sent %d)", id, ackedReadings, sent)
                            .isBetween(ackedReadings, sent);
                }
            });
            return "ok: " + sample.size() + " devices, every acknowledged reading is queryable";
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return "FAILED: " + e.getMessage().lines().findFirst().orElse("") + " " + e.getMessage();
        }
    }

    private static boolean healthy(URI base) {
        try {
            HttpURLConnection c = (HttpURLConnection) base.resolve("/health").toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(2000);
            return c.getResponseCode() == 200;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static double seconds(Instant since) {
        return Duration.between(since, Instant.now()).toMillis() / 1000.0;
    }
}
