package dev.fleetlet.server.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.protocol.Topics;
import dev.fleetlet.protocol.message.Reading;
import dev.fleetlet.protocol.message.TelemetryBatch;
import dev.fleetlet.server.broker.Db;
import dev.fleetlet.server.broker.Mqtt;
import dev.fleetlet.server.broker.TestServer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemetryRetentionAndRestartTest {

    @TempDir
    Path dataDir;

    private static void publish(TestServer server, MqttAsyncClient c, String device, long seq, Instant ts) throws Exception {
        TelemetryBatch b = new TelemetryBatch(1, device, "restart-stream", seq, ts, true, 0,
                List.of(Reading.ok("s1", "temperature", "Cel", seq, ts)));
        assertThat(Mqtt.publish(c, Topics.telemetry(device), Mqtt.encode(b))).isLessThan(0x80);
    }

    @Test
    void storesABatchReplayedAfterARestartOnce() throws Exception {
        Instant now = Instant.now();
        try (TestServer first = TestServer.start(dataDir)) {
            first.directory().addDevice("dev-r", "pw-r");
            MqttAsyncClient c = Mqtt.connect(first.mqttUri(), "dev-r", "dev-r", "pw-r");
            for (long seq = 1; seq <= 5; seq++) {
                publish(first, c, "dev-r", seq, now);
            }
            Mqtt.closeQuietly(c);
        }
        try (TestServer second = TestServer.start(dataDir)) {
            second.directory().addDevice("dev-r", "pw-r");
            MqttAsyncClient c = Mqtt.connect(second.mqttUri(), "dev-r", "dev-r", "pw-r");
            // when the device replays 3..5 (PUBACKs lost) and continues with 6..7
            for (long seq = 3; seq <= 7; seq++) {
                publish(second, c, "dev-r", seq, now);
            }
            Mqtt.closeQuietly(c);
            // then each batch is stored exactly once
            assertThat(Db.count(second.context, "SELECT COUNT(*) FROM telemetry_batch WHERE device_id = 'dev-r'")).isEqualTo(7);
            assertThat(Db.count(second.context, "SELECT COUNT(DISTINCT seq) FROM telemetry_reading WHERE device_id = 'dev-r'"))
                    .isEqualTo(7);
            assertThat(Db.count(second.context, "SELECT COUNT(*) FROM telemetry_reading WHERE device_id = 'dev-r'")).isEqualTo(7);
        }
    }

    @Test
    void retentionDeletesRawReadingsAndAggregatesPastTheirAgeInChunks() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (TestServer server = TestServer.start(dataDir, Map.of(
                "fleetlet.telemetry.raw-retention", "2d",
                "fleetlet.telemetry.aggregate-retention", "10d",
                "fleetlet.telemetry.retention-chunk", "2"))) {
            server.directory().addDevice("dev-old", "pw-old");
            MqttAsyncClient c = Mqtt.connect(server.mqttUri(), "dev-old", "dev-old", "pw-old");
            // given readings 1 day, 5 days and 20 days old (3 of each, in different minutes)
            long seq = 0;
            for (int age : new int[] {1, 5, 20}) {
                for (int i = 0; i < 3; i++) {
                    publish(server, c, "dev-old", ++seq, now.minus(age, ChronoUnit.DAYS).plusSeconds(60L * i));
                }
            }
            Mqtt.closeQuietly(c);
            String readings = "SELECT COUNT(*) FROM telemetry_reading WHERE device_id = 'dev-old'";
            String minutes = "SELECT COUNT(*) FROM telemetry_minute WHERE device_id = 'dev-old'";
            assertThat(Db.count(server.context, readings)).isEqualTo(9);
            assertThat(Db.count(server.context, minutes)).isEqualTo(9);
            // when retention runs
            TelemetryRetentionJob.Deleted deleted = server.context.getBean(TelemetryRetentionJob.class).runOnce();
            // then raw readings older than 2 days and aggregates older than 10 days are gone
            assertThat(Db.count(server.context, readings)).isEqualTo(3);
            assertThat(Db.count(server.context, minutes)).isEqualTo(6);
            assertThat(deleted.readings()).isEqualTo(6);
            assertThat(deleted.minutes()).isEqualTo(3);
        }
    }
}
