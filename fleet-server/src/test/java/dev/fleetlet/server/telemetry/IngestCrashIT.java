package dev.fleetlet.server.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetlet.protocol.Topics;
import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.message.EnrollmentRequest;
import dev.fleetlet.protocol.message.EnrollmentResponse;
import dev.fleetlet.protocol.message.HardwareFacts;
import dev.fleetlet.protocol.message.Reading;
import dev.fleetlet.protocol.message.TelemetryBatch;
import dev.fleetlet.server.broker.Mqtt;
import dev.fleetlet.server.broker.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restart safety with the production wiring in a separate JVM: every telemetry batch that got a PUBACK
 * survives a SIGKILL of the server in the middle of ingestion, and replaying everything afterwards
 * stores nothing twice.
 */
class IngestCrashIT {

    private static final String ADMIN_PASSWORD = "crash-it-admin-password";
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @TempDir
    Path dataDir;
    private Process server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private int httpPort;
    private int mqttPort;

    @AfterEach
    void tearDown() throws Exception {
        if (server != null && server.isAlive()) {
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void startServer(String logName) throws Exception {
        Path jar = Path.of("target/fleet-server.jar").toAbsolutePath();
        assertThat(jar).as("run after package: the server jar with target/lib").exists();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        server = new ProcessBuilder(java, "-Xmx512m",
                "-Dfleetlet.data-dir=" + dataDir,
                "-Dmicronaut.server.port=" + httpPort,
                "-Dfleetlet.mqtt.host=127.0.0.1",
                "-Dfleetlet.mqtt.port=" + mqttPort,
                "-Dfleetlet.admin.initial-password=" + ADMIN_PASSWORD,
                "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolve(logName).toFile())
                .start();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
            assertThat(server.isAlive()).as("server process alive; see %s", dataDir.resolve(logName)).isTrue();
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (java.io.IOException e) {
                return false;
            }
        });
    }

    private String post(String path, String json, boolean admin) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (admin) {
            b.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("POST %s: %s", path, r.body()).isBetween(200, 299);
        return r.body();
    }

    private JsonNode getJson(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        return Mqtt.CODEC.mapper().readTree(r.body());
    }

    private static byte[] batch(String deviceId, long seq) {
        TelemetryBatch b = new TelemetryBatch(1, deviceId, "crash-stream", seq, T0, true, 0,
                List.of(Reading.ok("probe", "temperature", "Cel", seq, T0.plusMillis(seq))));
        return Mqtt.CODEC.encode(MessageType.TELEMETRY, b);
    }

    private Set<Long> storedSeqs(String deviceId) throws Exception {
        JsonNode body = getJson("/api/v1/devices/" + deviceId + "/telemetry?limit=10000&from=" + T0.minusSeconds(60)
                + "&to=" + T0.plusSeconds(3600));
        assertThat(body.get("truncated").asBoolean()).isFalse();
        Set<Long> seqs = new TreeSet<>();
        for (JsonNode p : body.get("points")) {
            seqs.add(p.get("value").asLong());
        }
        return seqs;
    }

    @Test
    void keepsEveryAcknowledgedBatchAcrossASigkillAndStoresReplaysOnce() throws Exception {
        httpPort = TestServer.freePort();
        mqttPort = TestServer.freePort();
        startServer("server-1.log");
        // given an enrolled device (production directory: registry + hashed secret)
        JsonNode token = Mqtt.CODEC.mapper().readTree(post("/api/v1/provisioning-tokens", "{\"fleet\":\"crash-it\"}", true));
        String secret = "crash-it-device-secret-0123456789abcdef";
        HardwareFacts hw = new HardwareFacts("crash0001", "Raspberry Pi 4 Model B", "arm64", "v8", 4096, "6.6.31",
                "Debian 12", "0.1.0", List.of());
        EnrollmentResponse enrolled = Mqtt.CODEC.decode(MessageType.ENROLLMENT_RESPONSE, post("/api/v1/enroll",
                new String(Mqtt.CODEC.encode(MessageType.ENROLLMENT_REQUEST,
                        new EnrollmentRequest(token.get("token").asText(), "crash0001", secret, hw)), StandardCharsets.UTF_8),
                false)).orElseThrow();
        String deviceId = enrolled.deviceId();
        String uri = "tcp://127.0.0.1:" + mqttPort;

        // when the device streams QoS 1 batches (10 in flight) and the server is SIGKILLed mid-stream
        MqttAsyncClient device = Mqtt.connect(uri, deviceId, deviceId, secret);
        Set<Long> acked = new ConcurrentSkipListSet<>();
        Semaphore window = new Semaphore(10);
        long seq = 0;
        boolean killed = false;
        while (device.isConnected() && seq < 100_000) {
            if (!window.tryAcquire(2, TimeUnit.SECONDS)) {
                break;
            }
            long s = ++seq;
            MqttMessage m = new MqttMessage(batch(deviceId, s));
            m.setQos(1);
            try {
                device.publish(Topics.telemetry(deviceId), m, null, new MqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken t) {
                        int[] codes = t.getReasonCodes();
                        if (codes == null || codes.length == 0 || codes[0] < 0x80) {
                            acked.add(s);
                        }
                        window.release();
                    }

                    @Override
                    public void onFailure(IMqttToken t, Throwable e) {
                        window.release();
                    }
                });
            } catch (Exception e) {
                break;
            }
            if (!killed && acked.size() >= 300) {
                server.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no final flush
                killed = true;
            }
        }
        assertThat(killed).as("server killed while batches were in flight").isTrue();
        server.waitFor(10, TimeUnit.SECONDS);
        device.close(true);
        long sent = seq;
        Set<Long> ackedAtKill = new TreeSet<>(acked);

        // then after a restart every acknowledged batch is there
        startServer("server-2.log");
        Set<Long> stored = storedSeqs(deviceId);
        assertThat(stored).as("acknowledged %d of %d sent", ackedAtKill.size(), sent).containsAll(ackedAtKill);

        // and replaying every batch sent stores nothing twice
        MqttAsyncClient again = Mqtt.connect(uri, deviceId, deviceId, secret);
        for (long s = 1; s <= sent; s++) {
            assertThat(Mqtt.publish(again, Topics.telemetry(deviceId), batch(deviceId, s))).isLessThan(0x80);
        }
        Mqtt.closeQuietly(again);
        Set<Long> afterReplay = storedSeqs(deviceId);
        JsonNode body = getJson("/api/v1/devices/" + deviceId + "/telemetry?limit=10000&from=" + T0.minusSeconds(60)
                + "&to=" + T0.plusSeconds(3600));
        assertThat(body.get("points").size()).as("one reading per batch, no duplicates").isEqualTo((int) sent);
        assertThat(afterReplay).hasSize((int) sent);
        Files.writeString(dataDir.resolve("result.txt"), "sent=" + sent + " ackedAtKill=" + ackedAtKill.size()
                + " storedAfterRestart=" + stored.size());
        System.out.println("IngestCrashIT sent=" + sent + " ackedAtKill=" + ackedAtKill.size()
                + " storedAfterRestart=" + stored.size() + " (stored but unacknowledged: "
                + (stored.size() - ackedAtKill.size()) + ")");
    }
}
