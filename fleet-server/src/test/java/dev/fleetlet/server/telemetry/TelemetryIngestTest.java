package dev.fleetlet.server.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.protocol.Topics;
import dev.fleetlet.protocol.message.TelemetryBatch;
import dev.fleetlet.server.broker.Db;
import dev.fleetlet.server.broker.Mqtt;
import dev.fleetlet.server.broker.TestServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemetryIngestTest {

    private static final int PAYLOAD_FORMAT_INVALID = 0x99;
    private static final int QUOTA_EXCEEDED = 0x97;
    private static final int NOT_AUTHORIZED = 0x87;

    @TempDir
    static Path dataDir;
    static TestServer server;

    @BeforeAll
    static void start() {
        // a long flush interval: a PUBACK sent before the commit would be caught below
        server = TestServer.start(dataDir, Map.of("fleetlet.telemetry.flush-interval", "100ms"));
        for (String d : List.of("dev-ack", "dev-dup", "dev-bad", "dev-good", "dev-late")) {
            server.directory().addDevice(d, "pw-" + d);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static MqttAsyncClient device(String id) throws Exception {
        return Mqtt.connect(server.mqttUri(), id, id, "pw-" + id);
    }

    private static long batches(String deviceId) {
        return Db.count(server.context, "SELECT COUNT(*) FROM telemetry_batch WHERE device_id = ?", deviceId);
    }

    private static long readings(String deviceId) {
        return Db.count(server.context, "SELECT COUNT(*) FROM telemetry_reading WHERE device_id = ?", deviceId);
    }

    private static double counter(String name, String... tags) {
        Counter c = server.context.getBean(MeterRegistry.class).find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void acknowledgesATelemetryBatchOnlyAfterItIsCommitted() throws Exception {
        MqttAsyncClient client = device("dev-ack");
        try {
            Instant ts = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            for (long seq = 1; seq <= 20; seq++) {
                // when a batch is acknowledged
                int code = Mqtt.publish(client, Topics.telemetry("dev-ack"), Mqtt.encode(Mqtt.batch("dev-ack", "ack-stream", seq, 3, ts)));
                assertThat(code).as("PUBACK reason code").isLessThan(0x80);
                // then it is already in the database, without waiting
                assertThat(Db.count(server.context,
                        "SELECT COUNT(*) FROM telemetry_batch WHERE device_id = ? AND stream = ? AND seq = ?",
                        "dev-ack", "ack-stream", seq)).as("batch %d stored at PUBACK time", seq).isEqualTo(1);
            }
            assertThat(readings("dev-ack")).isEqualTo(60);
        } finally {
            Mqtt.closeQuietly(client);
        }
    }

    @Test
    void storesAReplayedBatchOnce() throws Exception {
        MqttAsyncClient client = device("dev-dup");
        try {
            double duplicatesBefore = counter("fleetlet.telemetry.duplicates");
            byte[] payload = Mqtt.encode(Mqtt.batch("dev-dup", "dup-stream", 1, 4, Instant.now()));
            byte[] second = Mqtt.encode(Mqtt.batch("dev-dup", "dup-stream", 2, 4, Instant.now()));
            // when the same batch arrives twice, also after a later one
            assertThat(Mqtt.publish(client, Topics.telemetry("dev-dup"), payload)).isLessThan(0x80);
            assertThat(Mqtt.publish(client, Topics.telemetry("dev-dup"), payload)).isLessThan(0x80);
            assertThat(Mqtt.publish(client, Topics.telemetry("dev-dup"), second)).isLessThan(0x80);
            assertThat(Mqtt.publish(client, Topics.telemetry("dev-dup"), payload)).isLessThan(0x80);
            // then each is stored once and the replays are counted
            assertThat(batches("dev-dup")).isEqualTo(2);
            assertThat(readings("dev-dup")).isEqualTo(8);
            assertThat(counter("fleetlet.telemetry.duplicates") - duplicatesBefore).isEqualTo(2);
        } finally {
            Mqtt.closeQuietly(client);
        }
    }

    @Test
    void storesALateBatchBelowTheHighWaterMark() throws Exception {
        MqttAsyncClient client = device("dev-late");
        try {
            // given seq 5 stored first (4 was refused or lost), when 4 arrives later
            assertThat(Mqtt.publish(client, Topics.telemetry("dev-late"),
                    Mqtt.encode(Mqtt.batch("dev-late", "late-stream", 5, 1, Instant.now())))).isLessThan(0x80);
            assertThat(Mqtt.publish(client, Topics.telemetry("dev-late"),
                    Mqtt.encode(Mqtt.batch("dev-late", "late-stream", 4, 1, Instant.now())))).isLessThan(0x80);
            // then both are stored
            assertThat(batches("dev-late")).isEqualTo(2);
        } finally {
            Mqtt.closeQuietly(client);
        }
    }

    @Test
    void rejectsAndCountsBadPublishesWhileAnotherDeviceKeepsIngesting() throws Exception {
        MqttAsyncClient bad = device("dev-bad");
        MqttAsyncClient good = device("dev-good");
        try {
            double malformed = counter("fleetlet.mqtt.messages.rejected", "reason", "malformed_json");
            double schema = counter("fleetlet.mqtt.messages.rejected", "reason", "schema_violation");
            double large = counter("fleetlet.mqtt.messages.rejected", "reason", "too_large");
            double unknown = counter("fleetlet.mqtt.messages.rejected", "reason", "unknown_topic");
            double mismatch = counter("fleetlet.mqtt.messages.rejected", "reason", "device_id_mismatch");
            // given a well-behaved device publishing 40 batches meanwhile
            CompletableFuture<List<Integer>> goodCodes = CompletableFuture.supplyAsync(() -> {
                List<Integer> codes = new ArrayList<>();
                try {
                    for (long seq = 1; seq <= 40; seq++) {
                        codes.add(Mqtt.publish(good, Topics.telemetry("dev-good"),
                                Mqtt.encode(Mqtt.batch("dev-good", "good-stream", seq, 5, Instant.now()))));
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return codes;
            });
            String topic = Topics.telemetry("dev-bad");
            // when the other device sends garbage of every kind
            for (int i = 0; i < 5; i++) {
                assertThat(Mqtt.publish(bad, topic, "{not json".getBytes(StandardCharsets.UTF_8)))
                        .isEqualTo(PAYLOAD_FORMAT_INVALID);
                assertThat(Mqtt.publish(bad, topic, "{\"v\":1,\"deviceId\":\"dev-bad\",\"stream\":\"s1234\",\"seq\":\"x\"}"
                        .getBytes(StandardCharsets.UTF_8))).isEqualTo(PAYLOAD_FORMAT_INVALID);
                assertThat(Mqtt.publish(bad, topic, new byte[70 * 1024])).isEqualTo(QUOTA_EXCEEDED);
                assertThat(Mqtt.publish(bad, "fleetlet/v1/devices/dev-bad/whatever", "{}".getBytes())).isEqualTo(NOT_AUTHORIZED);
                assertThat(Mqtt.publish(bad, "some/other/topic", "{}".getBytes())).isEqualTo(NOT_AUTHORIZED);
                TelemetryBatch foreign = Mqtt.batch("dev-good", "bad-stream", 100 + i, 1, Instant.now());
                assertThat(Mqtt.publish(bad, topic, Mqtt.encode(foreign))).isEqualTo(PAYLOAD_FORMAT_INVALID);
            }
            // then the bad device is still connected, nothing of it is stored, and each refusal is counted
            assertThat(bad.isConnected()).isTrue();
            assertThat(batches("dev-bad")).isZero();
            assertThat(counter("fleetlet.mqtt.messages.rejected", "reason", "malformed_json") - malformed).isEqualTo(5);
            assertThat(counter("fleetlet.mqtt.messages.rejected", "reason", "schema_violation") - schema).isEqualTo(5);
            assertThat(counter("fleetlet.mqtt.messages.rejected", "reason", "too_large") - large).isEqualTo(5);
            assertThat(counter("fleetlet.mqtt.messages.rejected", "reason", "unknown_topic") - unknown).isEqualTo(10);
            assertThat(counter("fleetlet.mqtt.messages.rejected", "reason", "device_id_mismatch") - mismatch).isEqualTo(5);
            // and the good device got every batch acknowledged and stored
            assertThat(goodCodes.get(60, TimeUnit.SECONDS)).hasSize(40).allMatch(c -> c < 0x80, "success reason code");
            assertThat(batches("dev-good")).isEqualTo(40);
            assertThat(readings("dev-good")).isEqualTo(200);
        } finally {
            Mqtt.closeQuietly(bad);
            Mqtt.closeQuietly(good);
        }
    }
}
