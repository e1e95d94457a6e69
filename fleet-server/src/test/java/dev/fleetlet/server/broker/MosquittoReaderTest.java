package dev.fleetlet.server.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetlet.protocol.Topics;
import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.message.TelemetryBatch;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A third-party tool with a service account reads telemetry as docs describe (mosquitto_sub). */
class MosquittoReaderTest {

    private static final Path MOSQUITTO_SUB = Path.of("/usr/bin/mosquitto_sub");

    @TempDir
    static Path dataDir;
    static TestServer server;

    @BeforeAll
    static void start() {
        assertThat(Files.isExecutable(MOSQUITTO_SUB))
                .as("this test needs mosquitto_sub: install mosquitto-clients (apt-get install mosquitto-clients)")
                .isTrue();
        server = TestServer.start(dataDir);
        server.directory().addDevice("dev-m", "pw-m");
        server.directory().addReader("telegraf", "reader-pw");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Process mosquittoSub(String password) throws Exception {
        return new ProcessBuilder(MOSQUITTO_SUB.toString(), "-h", "127.0.0.1", "-p", String.valueOf(server.mqttPort),
                "-V", "mqttv5", "-i", "telegraf-1", "-u", "telegraf", "-P", password, "-q", "1",
                "-t", Topics.allDevices(dev.fleetlet.protocol.TopicKind.TELEMETRY), "-v")
                .redirectErrorStream(true).start();
    }

    private static List<String> lines(Process p) {
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (Exception e) {
                // process ended
            }
        });
        t.setDaemon(true);
        t.start();
        return lines;
    }

    @Test
    void aServiceAccountReceivesTelemetryOfEveryDevice() throws Exception {
        Process sub = mosquittoSub("reader-pw");
        List<String> out = lines(sub);
        MqttAsyncClient device = Mqtt.connect(server.mqttUri(), "dev-m", "dev-m", "pw-m");
        try {
            AtomicLong seq = new AtomicLong();
            // keep publishing until the subscription is in place and the first batch arrives
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
                Mqtt.publish(device, Topics.telemetry("dev-m"),
                        Mqtt.encode(Mqtt.batch("dev-m", "mosq-stream", seq.incrementAndGet(), 2, Instant.now())));
                return out.stream().anyMatch(l -> l.startsWith(Topics.telemetry("dev-m") + " "));
            });
            long last = seq.incrementAndGet();
            Mqtt.publish(device, Topics.telemetry("dev-m"), Mqtt.encode(Mqtt.batch("dev-m", "mosq-stream", last, 2, Instant.now())));
            await().atMost(Duration.ofSeconds(10)).until(() -> out.stream().anyMatch(l -> l.contains("\"seq\":" + last + ",")));
            String line = out.stream().filter(l -> l.contains("\"seq\":" + last + ",")).findFirst().orElseThrow();
            TelemetryBatch received = Mqtt.CODEC.decode(MessageType.TELEMETRY,
                    line.substring(line.indexOf(' ') + 1)).orElseThrow();
            assertThat(received.deviceId()).isEqualTo("dev-m");
            assertThat(received.readings()).hasSize(2);
        } finally {
            Mqtt.closeQuietly(device);
            sub.destroy();
            sub.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static int mosquittoPub311(String topic, String payload) throws Exception {
        Process p = new ProcessBuilder(MOSQUITTO_SUB.resolveSibling("mosquitto_pub").toString(), "-h", "127.0.0.1",
                "-p", String.valueOf(server.mqttPort), "-V", "mqttv311", "-i", "dev-m", "-u", "dev-m", "-P", "pw-m",
                "-q", "1", "-t", topic, "-m", payload).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    @Test
    void anMqtt311DeviceIsAcknowledgedForValidTelemetryAndDisconnectedForARefusedPublish() throws Exception {
        // MQTT 3.1.1 has no PUBACK reason codes: the broker answers a refused QoS 1 publish by disconnecting
        String valid = new String(Mqtt.encode(Mqtt.batch("dev-m", "v311-stream", 1, 1, Instant.now())), StandardCharsets.UTF_8);
        assertThat(mosquittoPub311(Topics.telemetry("dev-m"), valid)).isZero();
        assertThat(Db.count(server.context, "SELECT COUNT(*) FROM telemetry_batch WHERE stream = 'v311-stream'")).isEqualTo(1);
        assertThat(mosquittoPub311(Topics.telemetry("dev-m"), "{not json")).isNotZero();
        assertThat(mosquittoPub311(Topics.telemetry("other-device"), valid)).isNotZero();
        assertThat(Db.count(server.context, "SELECT COUNT(*) FROM telemetry_batch WHERE stream = 'v311-stream'")).isEqualTo(1);
    }

    @Test
    void aServiceAccountWithTheWrongPasswordIsRefused() throws Exception {
        Process sub = mosquittoSub("wrong");
        List<String> out = lines(sub);
        assertThat(sub.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(sub.exitValue()).isNotZero();
        await().atMost(Duration.ofSeconds(2)).until(() -> String.join("\n", out).toLowerCase().contains("bad user name or password"));
    }
}
