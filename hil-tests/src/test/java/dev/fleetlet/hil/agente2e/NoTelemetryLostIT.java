package dev.fleetlet.hil.agente2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetlet.hil.agent.AgentLaunch;
import dev.fleetlet.hil.agent.AgentProcess;
import dev.fleetlet.hil.agent.AgentSpec;
import dev.fleetlet.hil.server.FleetAdminClient;
import dev.fleetlet.hil.agent.FleetServerProcess;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * No telemetry lost: one real agent sampling three simulated sensors at 5 Hz while the fleet server (and with it
 * the embedded broker) is restarted 20 times, 2–4 s after the agent got back each time, then
 * stopped for 120 s (the network cut: the agent keeps sampling into its store-and-forward queue)
 * and started again, always on the same data dir and ports. The server runs as its own JVM
 * ({@link FleetServerProcess}), stopped with SIGTERM and started anew each time, as an operator restarts it; its
 * starts after the first map their classes from an AppCDS archive the first run wrote (start time only).
 *
 * <p>What was produced comes from the agent itself: after the run the agent is stopped cleanly (its shutdown hook
 * closes the open batch into the queue) and started again; at that start it logs its queue's counters, so
 * {@code lastSeq} is the number of batches it produced in the run (batch seq numbers start at 1 per stream and grow
 * by one). The server must then hold exactly batches 1..lastSeq of that stream (its primary key
 * {@code (device, stream, seq)} makes "at most once" structural; count = lastSeq and max = lastSeq make it
 * "exactly once"), with no batch reporting queue drops, and each sensor's readings in seq order must have strictly
 * increasing sample times. The query API must return as many points per series as the database holds.
 */
class NoTelemetryLostIT {

    /** Server restarts ({@code -Dfleetlet.e2e.restarts}, default 20). */
    private static final int RESTARTS = Integer.getInteger("fleetlet.e2e.restarts", 20);
    /** Length of the cut in seconds ({@code -Dfleetlet.e2e.cutSeconds}, default 120). */
    private static final int CUT_SECONDS = Integer.getInteger("fleetlet.e2e.cutSeconds", 120);
    private static final Duration RECONNECT = Duration.ofSeconds(60);
    private static final Duration SERVER_START = Duration.ofSeconds(120);
    private static final Pattern DUPLICATES = Pattern.compile("(?m)^fleetlet_telemetry_duplicates_total(?:\\{[^}]*})? (\\S+)$");

    private final Random random = new Random();
    private FleetServerProcess server;
    private AgentProcess agent;

    @AfterEach
    void stopAll() {
        if (agent != null) {
            agent.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyReadingArrivesExactlyOnceAndInOrderThroughTwentyBrokerRestartsAndATwoMinuteCut() throws Exception {
        // given a server on fixed ports and an enrolled agent sampling at 5 Hz
        Instant testStart = Instant.now();
        Path work = E2e.workDir(getClass());
        server = FleetServerProcess.create(work.resolve("server"), Map.of(
                "fleetlet.admin.initial-password", E2e.ADMIN_PASSWORD, "fleetlet.security.pbkdf2-iterations", "1000"))
                .withClassArchive(work.resolve("server-classes.jsa")).start(SERVER_START);
        FleetAdminClient admin = new FleetAdminClient(server.httpUri(), "admin", E2e.ADMIN_PASSWORD);
        String token = admin.createProvisioningToken("e2e-loss", "NoTelemetryLostIT", null).secret();
        agent = AgentProcess.create(work, "agent", AgentSpec.of(server.httpUri(), token, "e2e00000000000a1")
                .withSampleInterval(Duration.ofMillis(200)), AgentLaunch.fromSystemProperties()).start();
        E2e.until("agent connected", Duration.ofSeconds(90), () -> agent.connects() >= 1, agent);
        String deviceId = agent.deviceId().orElseThrow();
        long duplicates = 0;

        // when the server is restarted 20 times, 2-4 s after the agent reconnected each time
        long restartNanos = 0;
        for (int i = 1; i <= RESTARTS; i++) {
            int connects = agent.connects();
            TimeUnit.MILLISECONDS.sleep(2000 + random.nextInt(2001)); // a random hold while the agent publishes
            duplicates += duplicates(admin);
            long t0 = System.nanoTime();
            server.stop();
            server.start(SERVER_START);
            restartNanos += System.nanoTime() - t0;
            E2e.until("agent reconnected after restart " + i, RECONNECT, () -> agent.connects() > connects, agent);
        }
        // and then stopped for two minutes (the agent samples on, offline) and started again
        int beforeCut = agent.connects();
        duplicates += duplicates(admin);
        server.stop();
        TimeUnit.SECONDS.sleep(CUT_SECONDS); // the cut itself: its length is what is tested
        assertThat(agent.isAlive()).as(agent.describe()).isTrue();
        server.start(SERVER_START);
        E2e.until("agent reconnected after the cut", RECONNECT, () -> agent.connects() > beforeCut, agent);
        int reconnects = agent.connects() - 1;

        // and the agent is stopped cleanly and started again, which makes it log how many batches it produced
        assertThat(agent.stop()).as(agent.describe()).isIn(0, 143);
        agent.start();
        E2e.until("agent reopened its queue", Duration.ofSeconds(60), () -> agent.lastQueueOpened().isPresent()
                && agent.count("telemetry queue opened") == 2, agent);
        AgentProcess.QueueCounters produced = agent.lastQueueOpened().orElseThrow();
        // and the agent runs until its own queue says the server acknowledged every one of them (the server
        // acknowledges a batch after its commit; the agent logs its acknowledged seq at each start)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (agent.lastQueueOpened().orElseThrow().ackedSeq() < produced.lastSeq()) {
            assertThat(System.nanoTime()).as("queue drained within 120 s: %s", agent.describe()).isLessThan(deadline);
            int opened = agent.count("telemetry queue opened");
            TimeUnit.SECONDS.sleep(3); // let it publish its backlog, then look at its counters again
            agent.stop();
            agent.start();
            E2e.until("agent reopened its queue", Duration.ofSeconds(60),
                    () -> agent.count("telemetry queue opened") > opened, agent);
        }
        agent.stop();
        duplicates += duplicates(admin);
        Map<String, Long> apiPoints = apiPointsPerSeries(admin, deviceId, testStart);
        server.stop();

        // then the server holds batches 1..lastSeq of the agent's stream exactly once, none reporting drops
        Stats stats;
        try (Connection c = DriverManager.getConnection(server.h2Url(), "sa", "")) {
            stats = stats(c, deviceId, produced);
        }
        assertThat(stats.batches).as("batches stored").isEqualTo(produced.lastSeq());
        assertThat(stats.minSeq).isEqualTo(1);
        assertThat(stats.maxSeq).isEqualTo(produced.lastSeq());
        assertThat(stats.droppedByAgent).as("batches the agent dropped (queue full)").isZero();
        assertThat(stats.readings).as("readings stored = readings the batches carried").isEqualTo(stats.declaredReadings);
        // and every series is in order: sample times strictly increase with the batch seq
        assertThat(stats.outOfOrder).as("readings out of order per series").isEmpty();
        assertThat(stats.perSeries).hasSize(AgentProcess.READINGS_PER_ROUND);
        // and the query API returned at least the stored points of the run per series (the agent's later starts
        // added a few more before it stopped)
        stats.perSeries.forEach((series, n) -> assertThat(apiPoints.getOrDefault(series, 0L))
                .as("points of %s in the query API", series).isGreaterThanOrEqualTo(n));
        // and the agent saw every restart
        assertThat(reconnects).as("reconnects the agent logged").isGreaterThanOrEqualTo(RESTARTS);
        System.out.printf("NoTelemetryLostIT: readings produced=%d delivered=%d batches=%d duplicates_dropped_by_server=%d "
                        + "reconnects=%d max_delivery_delay_s=%.1f max_sample_gap_ms=%d mean_restart_s=%.1f run_s=%d "
                        + "loadavg=%s%n",
                stats.declaredReadings, stats.readings, stats.batches, duplicates, reconnects, stats.maxDelayMillis / 1000.0,
                stats.maxSampleGapMillis, restartNanos / 1e9 / RESTARTS, Duration.between(testStart, Instant.now()).toSeconds(),
                loadAverage());
    }

    /** The 1/5/15-minute load averages ({@code /proc/loadavg}), to read the run time against. */
    private static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + "/" + f[1] + "/" + f[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Batches the server's current run found again and did not store twice ({@code /prometheus}). */
    private static long duplicates(FleetAdminClient admin) {
        Matcher m = DUPLICATES.matcher(admin.getText("/prometheus"));
        long sum = 0;
        while (m.find()) {
            sum += (long) Double.parseDouble(m.group(1));
        }
        return sum;
    }

    private static Map<String, Long> apiPointsPerSeries(FleetAdminClient admin, String deviceId, Instant from) {
        Map<String, Long> out = new TreeMap<>();
        String to = Instant.now().plusSeconds(5).toString();
        for (String series : List.of(AgentProcess.SENSOR_BME280 + "/temperature", AgentProcess.SENSOR_BME280 + "/humidity",
                AgentProcess.SENSOR_BME280 + "/pressure", AgentProcess.SENSOR_SHT3X + "/temperature",
                AgentProcess.SENSOR_SHT3X + "/humidity", AgentProcess.SENSOR_ADS1115 + "/voltage")) {
            String[] sq = series.split("/");
            JsonNode answer = admin.get("/api/v1/devices/" + deviceId + "/telemetry?bucket=raw&limit=10000&sensor="
                    + sq[0] + "&quantity=" + sq[1] + "&from=" + from.minusSeconds(60) + "&to=" + to);
            if (answer.path("truncated").asBoolean()) {
                throw new IllegalStateException("more than 10000 points of " + series + ": shorten the run");
            }
            out.put(series, (long) answer.path("points").size());
        }
        return out;
    }

    /** What the server stored for the stream, up to the last batch the agent produced in the run. */
    private static final class Stats {
        long batches;
        long minSeq;
        long maxSeq;
        long droppedByAgent;
        long declaredReadings;
        long readings;
        long maxDelayMillis;
        long maxSampleGapMillis;
        final Map<String, Long> perSeries = new LinkedHashMap<>();
        final List<String> outOfOrder = new ArrayList<>();
    }

    private static Stats stats(Connection c, String deviceId, AgentProcess.QueueCounters q) throws SQLException {
        Stats st = new Stats();
        {
            try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*), MIN(seq), MAX(seq), SUM(dropped), "
                    + "SUM(reading_count) FROM telemetry_batch WHERE device_id = ? AND stream = ? AND seq <= ?")) {
                bind(s, deviceId, q);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    st.batches = rs.getLong(1);
                    st.minSeq = rs.getLong(2);
                    st.maxSeq = rs.getLong(3);
                    st.droppedByAgent = rs.getLong(4);
                    st.declaredReadings = rs.getLong(5);
                }
            }
            try (PreparedStatement s = c.prepareStatement("SELECT b.received_at, r.ts FROM telemetry_batch b JOIN "
                    + "telemetry_reading r ON r.device_id = b.device_id AND r.stream = b.stream AND r.seq = b.seq "
                    + "WHERE b.device_id = ? AND b.stream = ? AND b.seq <= ?")) {
                bind(s, deviceId, q);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        Instant received = rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
                        Instant sampled = rs.getObject(2, java.time.OffsetDateTime.class).toInstant();
                        st.maxDelayMillis = Math.max(st.maxDelayMillis, Duration.between(sampled, received).toMillis());
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("SELECT sensor, quantity, seq, ts FROM telemetry_reading "
                    + "WHERE device_id = ? AND stream = ? AND seq <= ? ORDER BY sensor, quantity, seq, id")) {
                bind(s, deviceId, q);
                try (ResultSet rs = s.executeQuery()) {
                    String series = null;
                    Instant previous = null;
                    while (rs.next()) {
                        String key = rs.getString(1) + "/" + rs.getString(2);
                        Instant ts = rs.getObject(4, java.time.OffsetDateTime.class).toInstant();
                        if (!key.equals(series)) {
                            series = key;
                            previous = null;
                        }
                        st.readings++;
                        st.perSeries.merge(key, 1L, Long::sum);
                        if (previous != null) {
                            if (!ts.isAfter(previous)) {
                                st.outOfOrder.add(key + " seq " + rs.getLong(3) + " ts " + ts + " after " + previous);
                            }
                            st.maxSampleGapMillis = Math.max(st.maxSampleGapMillis, Duration.between(previous, ts).toMillis());
                        }
                        previous = ts;
                    }
                }
            }
        }
        return st;
    }

    private static void bind(PreparedStatement s, String deviceId, AgentProcess.QueueCounters q) throws SQLException {
        s.setString(1, deviceId);
        s.setString(2, q.stream());
        s.setLong(3, q.lastSeq());
    }
}
