package dev.fleetlet.server.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetlet.protocol.Topics;
import dev.fleetlet.protocol.message.Reading;
import dev.fleetlet.protocol.message.TelemetryBatch;
import dev.fleetlet.server.broker.Mqtt;
import dev.fleetlet.server.broker.TestServer;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemetryQueryApiTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    @TempDir
    static Path dataDir;
    static TestServer server;
    static HttpClient http;
    static BlockingHttpClient api;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dataDir);
        server.directory().addDevice("dev-q", "pw-q");
        http = HttpClient.create(server.http.getURL());
        api = http.toBlocking();
        MqttAsyncClient device = Mqtt.connect(server.mqttUri(), "dev-q", "dev-q", "pw-q");
        try {
            // given temperatures 10, 20, 30 in minute 10:00, 40 in 10:01, one failed reading, and humidity 50 in 11:00
            publish(device, 1, List.of(
                    Reading.ok("bme280", "temperature", "Cel", 10, T0.plusSeconds(1)),
                    Reading.ok("bme280", "temperature", "Cel", 20, T0.plusSeconds(20)),
                    Reading.ok("bme280", "temperature", "Cel", 30, T0.plusSeconds(40))));
            publish(device, 2, List.of(
                    Reading.ok("bme280", "temperature", "Cel", 40, T0.plusSeconds(61)),
                    new Reading("bme280", "temperature", "Cel", null, T0.plusSeconds(62), Reading.Quality.FAILED, "i2c timeout"),
                    Reading.ok("bme280", "humidity", "%RH", 50, T0.plusSeconds(3600))));
        } finally {
            Mqtt.closeQuietly(device);
        }
    }

    private static void publish(MqttAsyncClient device, long seq, List<Reading> readings) throws Exception {
        TelemetryBatch batch = new TelemetryBatch(1, "dev-q", "query-stream", seq, T0, true, 0, readings);
        assertThat(Mqtt.publish(device, Topics.telemetry("dev-q"), Mqtt.encode(batch))).isLessThan(0x80);
    }

    @AfterAll
    static void stop() {
        http.close();
        server.close();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> get(String query) {
        HttpResponse<Map> response = api.exchange(HttpRequest.GET("/api/v1/devices/dev-q/telemetry?" + query)
                .basicAuth("admin", "admin-test-password"), Map.class);
        assertThat(response.status().getCode()).isEqualTo(200);
        return response.body();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> points(Map<String, Object> body) {
        return (List<Map<String, Object>>) body.get("points");
    }

    @Test
    void returnsRawReadingsInTimeOrderFilteredBySensorAndQuantity() {
        Map<String, Object> body = get("quantity=temperature&from=2025-03-01T10:00:00Z&to=2025-03-01T12:00:00Z");
        List<Map<String, Object>> points = points(body);
        assertThat(points).extracting(p -> p.get("value")).containsExactly(10.0, 20.0, 30.0, 40.0, null);
        assertThat(points.get(4)).containsEntry("quality", "failed").containsEntry("reason", "i2c timeout");
        assertThat(points.get(0)).containsEntry("ts", "2025-03-01T10:00:01Z").containsEntry("unit", "Cel")
                .containsEntry("sensor", "bme280");
        assertThat(body).containsEntry("bucket", "raw").containsEntry("truncated", false);
    }

    @Test
    void marksATruncatedAnswer() {
        Map<String, Object> body = get("from=2025-03-01T10:00:00Z&to=2025-03-01T12:00:00Z&limit=2");
        assertThat(points(body)).hasSize(2);
        assertThat(body).containsEntry("truncated", true);
    }

    @Test
    void aggregatesOkReadingsPerMinute() {
        List<Map<String, Object>> points = points(get("quantity=temperature&bucket=1m&from=2025-03-01T10:00:00Z&to=2025-03-01T12:00:00Z"));
        assertThat(points).hasSize(2);
        assertThat(points.get(0)).containsEntry("ts", "2025-03-01T10:00:00Z").containsEntry("count", 3)
                .containsEntry("min", 10.0).containsEntry("max", 30.0).containsEntry("avg", 20.0);
        assertThat(points.get(1)).containsEntry("ts", "2025-03-01T10:01:00Z").containsEntry("count", 1)
                .containsEntry("avg", 40.0);
    }

    @Test
    void aggregatesPerHour() {
        List<Map<String, Object>> points = points(get("bucket=1h&from=2025-03-01T10:00:00Z&to=2025-03-01T12:00:00Z"));
        assertThat(points).extracting(p -> p.get("ts"), p -> p.get("quantity"), p -> p.get("count"), p -> p.get("avg"))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("2025-03-01T10:00:00Z", "temperature", 4, 25.0),
                        org.assertj.core.groups.Tuple.tuple("2025-03-01T11:00:00Z", "humidity", 1, 50.0));
    }

    @Test
    void refusesABadBucketNamingTheField() {
        assertThatThrownBy(() -> get("bucket=5m"))
                .isInstanceOfSatisfying(HttpClientResponseException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(400);
                    assertThat(e.getResponse().getBody(String.class).orElse("")).contains("bucket");
                });
        assertThatThrownBy(() -> get("from=yesterday"))
                .isInstanceOfSatisfying(HttpClientResponseException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(400);
                    assertThat(e.getResponse().getBody(String.class).orElse("")).contains("from");
                });
        assertThatThrownBy(() -> get("limit=0"))
                .isInstanceOfSatisfying(HttpClientResponseException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(400));
    }

    @Test
    void exposesBrokerHealthAndIngestMetrics() {
        String health = api.retrieve(HttpRequest.GET("/health/readiness").basicAuth("admin", "admin-test-password"));
        assertThat(health).contains("mqtt-broker").contains("UP");
        String metrics = api.retrieve(HttpRequest.GET("/prometheus").basicAuth("admin", "admin-test-password"));
        assertThat(metrics).contains("fleetlet_telemetry_readings_stored_total", "fleetlet_mqtt_messages_in_total",
                "fleetlet_mqtt_clients_connected", "fleetlet_telemetry_queue_depth", "fleetlet_telemetry_commit_lag_seconds",
                "fleetlet_telemetry_db_flush_seconds", "fleetlet_telemetry_ingest_lag_seconds");
    }

    @Test
    void requiresAuthentication() {
        assertThatThrownBy(() -> api.exchange(HttpRequest.GET("/api/v1/devices/dev-q/telemetry"), String.class))
                .isInstanceOfSatisfying(HttpClientResponseException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(401));
    }
}
