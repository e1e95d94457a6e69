package dev.fleetlet.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.server.db.Jdbc;
import dev.fleetlet.server.device.DeviceHardware;
import dev.fleetlet.server.device.DeviceRepository;
import dev.fleetlet.server.device.NewDevice;
import dev.fleetlet.server.support.FleetTestServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dashboard latency at fleet scale: 10,000 devices (3 labels each, 70 % online, events, per-minute telemetry
 * aggregates and reported releases) written straight through the repository and JDBC, then ≥ 200 sequential
 * requests each to the device list API (paging, selector, search), the fleet overview, the detail of a running
 * rollout over two thirds of the fleet and the devices page, signed in
 * with a session cookie. Server-side time comes from the {@code Server-Timing} header of
 * {@link ServerTimingFilter}; client-observed time includes JSON encoding and the loopback network.
 * {@code cpu_ms_per_request} is this JVM's CPU time (server, client and background threads such as the running
 * rollout) over the measured requests divided by their number: less inflated by a loaded machine than wall time.
 * {@code -Dbench.devices} and {@code -Dbench.requests} change the sizes. Run with {@code scripts/bench.sh dashboard}.
 */
class DashboardBench {

    @TempDir
    Path dataDir;

    record Sample(double serverMs, double clientMs) {
    }

    @Test
    void measuresDashboardLatencyAtTenThousandDevices() throws Exception {
        int devices = Integer.getInteger("bench.devices", 10_000);
        int requests = Integer.getInteger("bench.requests", 300);
        // releases from the in-memory test catalog (no registry) and an in-memory publisher (no broker)
        try (FleetTestServer server = FleetTestServer.start(dataDir, Map.of("fleetlet.test.release-catalog", "memory",
                "fleetlet.test.publisher", "memory"))) {
            long t0 = System.nanoTime();
            seed(server, devices);
            System.out.printf(Locale.ROOT, "seeded devices=%d in %.1f s%n", devices, (System.nanoTime() - t0) / 1e9);
            String cookie = login(server);
            String rollout = startRollout(server);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            Random random = new Random(7);
            int pages = devices / 50;
            Map<String, IntFunction<String>> targets = new LinkedHashMap<>();
            targets.put("device-list", i -> switch (i % 4) {
                case 0 -> "/ui/api/devices?page=" + random.nextInt(pages) + "&size=50";
                case 1 -> "/ui/api/devices?selector=env%3Dprod,site%3Dsite-" + random.nextInt(20) + "&page=0&size=50";
                case 2 -> "/ui/api/devices?status=offline&page=" + random.nextInt(Math.max(1, pages / 4)) + "&size=50";
                default -> "/ui/api/devices?q=dev-" + random.nextInt(devices / 10) + "&size=50";
            });
            targets.put("overview", i -> "/ui/api/overview");
            targets.put("rollout-detail", i -> "/api/v1/rollouts/" + rollout);
            targets.put("devices-page", i -> "/ui/devices");
            Map<String, double[]> p95 = new LinkedHashMap<>();
            Map<String, Double> cpu = new LinkedHashMap<>();
            double worstServer = 0;
            double worstClient = 0;
            for (Map.Entry<String, IntFunction<String>> t : targets.entrySet()) {
                for (int i = 0; i < 30; i++) {
                    call(http, server.uri(t.getValue().apply(i)), cookie); // warm-up
                }
                List<Sample> samples = new ArrayList<>();
                long cpu0 = processCpuNanos();
                for (int i = 0; i < requests; i++) {
                    samples.add(call(http, server.uri(t.getValue().apply(i)), cookie));
                }
                double cpuMs = (processCpuNanos() - cpu0) / 1e6 / requests;
                cpu.put(t.getKey(), cpuMs);
                if (t.getKey().equals("device-list")) {
                    // the four kinds of list request, each its own p95 (every 4th sample)
                    for (int k = 0; k < 4; k++) {
                        int kind = k;
                        double[] ks = java.util.stream.IntStream.range(0, samples.size()).filter(i -> i % 4 == kind)
                                .mapToDouble(i -> samples.get(i).serverMs()).sorted().toArray();
                        System.out.printf(Locale.ROOT, "device-list kind=%s server_p50_ms=%.1f server_p95_ms=%.1f%n",
                                List.of("all", "selector", "offline", "search").get(k), percentile(ks, 0.5),
                                percentile(ks, 0.95));
                    }
                }
                double[] s = samples.stream().mapToDouble(Sample::serverMs).sorted().toArray();
                double[] c = samples.stream().mapToDouble(Sample::clientMs).sorted().toArray();
                double sp = percentile(s, 0.95);
                double cp = percentile(c, 0.95);
                p95.put(t.getKey(), new double[] {sp, cp});
                if (!t.getKey().equals("devices-page")) {
                    worstServer = Math.max(worstServer, sp);
                    worstClient = Math.max(worstClient, cp);
                }
                System.out.printf(Locale.ROOT, "%s requests=%d server_p50_ms=%.1f server_p95_ms=%.1f client_p50_ms=%.1f "
                                + "client_p95_ms=%.1f cpu_ms_per_request=%.2f%n", t.getKey(), requests, percentile(s, 0.5), sp,
                        percentile(c, 0.5), cp, cpuMs);
            }
            double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            System.out.printf(Locale.ROOT, "BENCH dashboard devices=%d requests=%d list_p95_ms=%.1f overview_p95_ms=%.1f "
                            + "rollout_p95_ms=%.1f page_p95_ms=%.1f client_p95_ms=%.1f list_cpu_ms=%.2f overview_cpu_ms=%.2f "
                            + "rollout_cpu_ms=%.2f load=%.2f p95_ms=%.1f%n", devices, requests,
                    p95.get("device-list")[0], p95.get("overview")[0], p95.get("rollout-detail")[0], p95.get("devices-page")[0],
                    worstClient, cpu.get("device-list"), cpu.get("overview"), cpu.get("rollout-detail"), load, worstServer);
        }
    }

    /** Creates and starts a rollout of the test catalog's app-1 to the env=prod devices (two thirds of the fleet). */
    private static String startRollout(FleetTestServer server) {
        String plan = "{\"canary\":{\"count\":50},\"waves\":[{\"percent\":25},{\"percent\":100}],\"maxConcurrent\":200,"
                + "\"soak\":\"PT10M\",\"deviceTimeout\":\"PT30M\",\"thresholds\":{\"perWave\":{\"percent\":10}},"
                + "\"onBreach\":\"PAUSE\"}";
        HttpResponse<String> created = server.post("/api/v1/rollouts", FleetTestServer.admin(),
                "{\"releaseId\":\"app-1\",\"selector\":\"env=prod\",\"plan\":" + plan + "}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = FleetTestServer.json(created).get("id").asText();
        HttpResponse<String> started = server.post("/api/v1/rollouts/" + id + "/start", FleetTestServer.admin(), null);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        System.out.println("rollout id=" + id + " devices=" + FleetTestServer.json(created).get("devices").asInt());
        return id;
    }

    private static Sample call(HttpClient http, URI uri, String cookie) throws IOException, InterruptedException {
        long start = System.nanoTime();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("Cookie", cookie).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        double client = (System.nanoTime() - start) / 1e6;
        assertThat(r.statusCode()).as(uri + " " + r.body()).isEqualTo(200);
        String timing = r.headers().firstValue("server-timing").orElseThrow();
        double server = Double.parseDouble(timing.substring(timing.indexOf("dur=") + 4));
        return new Sample(server, client);
    }

    /** CPU time of this JVM (server and client threads), for a figure less inflated by other load than wall time. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double percentile(double[] sorted, double p) {
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static String login(FleetTestServer server) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri("/ui/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=admin&password=" + FleetTestServer.ADMIN_PASSWORD)).build(),
                HttpResponse.BodyHandlers.ofString());
        String set = r.headers().allValues("set-cookie").stream().filter(h -> h.startsWith(SessionCookies.SESSION + "="))
                .findFirst().orElseThrow(() -> new IllegalStateException("no session cookie: " + r.statusCode()));
        return set.substring(0, set.indexOf(';'));
    }

    /** Devices with labels and presence; events for 30 %; 10 minutes of one telemetry series each; reported releases. */
    private static void seed(FleetTestServer server, int devices) {
        DeviceRepository repo = server.bean(DeviceRepository.class);
        Jdbc jdbc = server.bean(Jdbc.class);
        Instant now = Instant.now();
        DeviceHardware hw = new DeviceHardware("Raspberry Pi 4 Model B Rev 1.4", "arm64", null, 4096L, "6.6.31-v8+",
                "Debian GNU/Linux 12 (bookworm)", "0.1.0", List.of());
        boolean reported = jdbc.query("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE LOWER(TABLE_NAME) = 'device_reported_state'",
                rs -> rs.getLong(1)).get(0) > 0;
        long minute = now.getEpochSecond() / 60;
        for (int from = 0; from < devices; from += 500) {
            int start = from;
            jdbc.tx(c -> {
                for (int i = start; i < Math.min(devices, start + 500); i++) {
                    String id = String.format(Locale.ROOT, "dev-%05d", i);
                    repo.insert(new NewDevice(id, "SER-" + i, "greenhouse-" + i, "bench", Map.of("env", i % 3 == 0 ? "staging" : "prod",
                            "site", "site-" + (i % 20), "ring", "r" + (i % 4)), hw, "unused", now.minusSeconds(86_400)));
                    if (i % 10 < 7) {
                        repo.markOnline(id, now.minusSeconds(i % 600), null);
                    } else {
                        repo.markOffline(id, now.minusSeconds(60L * (i % 300)), "keepalive_timeout");
                        Jdbc.update(c, "INSERT INTO device_events (device_id, event_type, occurred_at, detail) VALUES (?, ?, ?, ?)",
                                id, "device.offline", now.minusSeconds(60L * (i % 300)), "reason=keepalive_timeout");
                    }
                    for (int m = 0; m < 10; m++) {
                        Jdbc.update(c, "INSERT INTO telemetry_minute (device_id, sensor, quantity, minute_epoch, unit, sample_count, "
                                + "value_sum, value_min, value_max) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", id, "bme280", "temperature",
                                minute - m, "C", 12L, 12 * 21.5, 20.0, 23.0);
                    }
                    if (reported) {
                        Jdbc.update(c, "INSERT INTO device_reported_state (device_id, generation, status, release_id, services, "
                                + "reported_at) VALUES (?, ?, ?, ?, ?, ?)", id, 1L, "running", "greenhouse-app@1." + (i % 3),
                                "[]", now);
                    }
                }
                return null;
            });
        }
        assertThat(jdbc.query("SELECT COUNT(*) FROM devices", rs -> rs.getLong(1)).get(0)).isEqualTo(devices);
        System.out.println("reported-state rows=" + (reported ? devices : 0));
    }
}
