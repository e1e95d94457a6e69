package dev.fleetlet.server.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.protocol.Topics;
import dev.fleetlet.protocol.message.Reading;
import dev.fleetlet.protocol.message.TelemetryBatch;
import dev.fleetlet.server.broker.Db;
import dev.fleetlet.server.broker.Mqtt;
import dev.fleetlet.server.broker.TestServer;
import dev.fleetlet.server.db.PostgresExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The telemetry SQL (batched inserts, aggregate merge, queries, chunked retention, de-dup) on PostgreSQL. */
@ExtendWith(PostgresExtension.class)
class TelemetryPostgresIT {

    @TempDir
    Path dataDir;

    @Test
    void ingestsQueriesDeduplicatesAndAgesOutTelemetryOnPostgres() throws Exception {
        String url = PostgresExtension.newDatabaseUrl();
        Map<String, Object> pg = Map.of(
                "datasources.default.url", url,
                "datasources.default.username", "fleetlet",
                "datasources.default.password", "",
                "datasources.default.driver-class-name", "org.postgresql.Driver",
                "fleetlet.telemetry.raw-retention", "2d",
                "fleetlet.telemetry.aggregate-retention", "10d",
                "fleetlet.telemetry.retention-chunk", "2");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        try (TestServer server = TestServer.start(dataDir, pg)) {
            server.directory().addDevice("dev-pg", "pw-pg");
            MqttAsyncClient c = Mqtt.connect(server.mqttUri(), "dev-pg", "dev-pg", "pw-pg");
            // given two batches in the same minute (aggregate insert, then update), one 5 days old, one replay
            publish(c, 1, now.plusSeconds(1), 10);
            publish(c, 2, now.plusSeconds(2), 30);
            publish(c, 3, now.minus(5, ChronoUnit.DAYS), 99);
            publish(c, 2, now.plusSeconds(2), 30);
            Mqtt.closeQuietly(c);
            assertThat(Db.count(server.context, "SELECT COUNT(*) FROM telemetry_batch WHERE device_id = 'dev-pg'")).isEqualTo(3);
            TelemetryQuery query = server.context.getBean(TelemetryQuery.class);
            TelemetryQuery.Result minutes = query.query("dev-pg", "probe", "temperature", now.minusSeconds(60),
                    now.plusSeconds(120), TelemetryQuery.Bucket.MINUTE, 10);
            assertThat(minutes.points()).singleElement().satisfies(p -> {
                assertThat(p.count()).isEqualTo(2);
                assertThat(p.min()).isEqualTo(10.0);
                assertThat(p.max()).isEqualTo(30.0);
                assertThat(p.avg()).isEqualTo(20.0);
            });
            TelemetryQuery.Result hours = query.query("dev-pg", null, null, now.minus(6, ChronoUnit.DAYS),
                    now.plusSeconds(3600), TelemetryQuery.Bucket.HOUR, 10);
            assertThat(hours.points()).extracting(TelemetryQuery.Point::count).containsExactly(1L, 2L);
            assertThat(query.query("dev-pg", null, null, now.minus(6, ChronoUnit.DAYS), now.plusSeconds(3600),
                    TelemetryQuery.Bucket.RAW, 10).points()).hasSize(3);
            // when retention runs
            TelemetryRetentionJob.Deleted deleted = server.context.getBean(TelemetryRetentionJob.class).runOnce();
            // then only the old raw reading is gone; its aggregate (5 days < 10 days) stays
            assertThat(deleted.readings()).isEqualTo(1);
            assertThat(deleted.minutes()).isZero();
        }
        // and after a restart a replay is still recognised from the database
        try (TestServer server = TestServer.start(dataDir, pg)) {
            server.directory().addDevice("dev-pg", "pw-pg");
            MqttAsyncClient c = Mqtt.connect(server.mqttUri(), "dev-pg", "dev-pg", "pw-pg");
            publish(c, 1, now.plusSeconds(1), 10);
            Mqtt.closeQuietly(c);
            assertThat(Db.count(server.context, "SELECT COUNT(*) FROM telemetry_reading WHERE device_id = 'dev-pg'")).isEqualTo(2);
            assertThat(Files.exists(dataDir.resolve("db/fleetlet.mv.db"))).isFalse();
        }
    }

    private static void publish(MqttAsyncClient c, long seq, Instant ts, double value) throws Exception {
        TelemetryBatch b = new TelemetryBatch(1, "dev-pg", "pg-stream", seq, ts, true, 0,
                List.of(Reading.ok("probe", "temperature", "Cel", value, ts)));
        assertThat(Mqtt.publish(c, Topics.telemetry("dev-pg"), Mqtt.encode(b))).isLessThan(0x80);
    }
}
