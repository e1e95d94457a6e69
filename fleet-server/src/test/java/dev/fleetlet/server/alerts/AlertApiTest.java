package dev.fleetlet.server.alerts;

import static dev.fleetlet.server.support.FleetTestServer.admin;
import static dev.fleetlet.server.support.FleetTestServer.basic;
import static dev.fleetlet.server.support.FleetTestServer.enrollment;
import static dev.fleetlet.server.support.FleetTestServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetlet.protocol.message.ReportedState;
import dev.fleetlet.protocol.message.SystemHealth;
import dev.fleetlet.server.desired.ReportedStateIntake;
import dev.fleetlet.server.support.FleetTestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alerts API on a running server: wired to the reported-state intake, readable by viewers, documented. */
class AlertApiTest {

    @TempDir
    static Path dataDir;
    static FleetTestServer server;
    static String deviceId;
    static final String VIEWER = basic("vic", "viewer-password-2");

    @BeforeAll
    static void start() {
        server = FleetTestServer.start(dataDir, Map.of());
        assertThat(server.post("/api/v1/users", admin(),
                "{\"username\":\"vic\",\"password\":\"viewer-password-2\",\"role\":\"VIEWER\"}").statusCode()).isEqualTo(201);
        String token = server.createToken("lab", null);
        deviceId = json(server.post("/api/v1/enroll", null, enrollment(token, "SER-ALERT-1", "a".repeat(40))))
                .get("deviceId").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aReportedNearlyFullDiskBecomesAnAlertAViewerCanListPerKindAndPerDevice() {
        // given: the device reports a 95 % full data disk
        server.bean(ReportedStateIntake.class).reported(new ReportedState(1, deviceId, 0, Instant.now(),
                ReportedState.Status.IDLE, null, null, null, List.of(),
                new SystemHealth(50L, 1000L, null, null, null, 10L, false, false, false, 0)), Instant.now());

        // when / then
        await().untilAsserted(() -> assertThat(json(server.get("/api/v1/alerts?kind=disk_full", VIEWER))
                .get("total").asLong()).isEqualTo(1));
        JsonNode page = json(server.get("/api/v1/alerts?deviceId=" + deviceId, VIEWER));
        assertThat(page.get("items").get(0).get("kind").asText()).isEqualTo("disk_full");
        assertThat(page.get("items").get(0).get("detail").asText()).contains("95.0 % full");
        JsonNode perDevice = json(server.get("/api/v1/devices/" + deviceId + "/alerts", VIEWER));
        assertThat(perDevice).hasSize(1);
        JsonNode health = json(server.get("/api/v1/devices/" + deviceId + "/health", VIEWER));
        assertThat(health.get("system").get("diskFreeBytes").asLong()).isEqualTo(50);
        assertThat(health.get("alerts")).hasSize(1);
        JsonNode summary = json(server.get("/api/v1/alerts/summary", VIEWER));
        assertThat(summary.get("byKind").get("disk_full").asLong()).isEqualTo(1);
    }

    @Test
    void refusesStrangersAndNamesABadKind() {
        assertThat(server.get("/api/v1/alerts", null).statusCode()).isEqualTo(401);
        HttpResponse<String> bad = server.get("/api/v1/alerts?kind=on_fire", VIEWER);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("kind").contains("on_fire");
        assertThat(server.get("/api/v1/devices/no-such-device/alerts", VIEWER).statusCode()).isEqualTo(404);
    }

    @Test
    void isInTheOpenApiDocument() {
        assertThat(server.get("/openapi/fleetlet-v1.yml", null).body())
                .contains("/api/v1/alerts:", "/api/v1/alerts/summary:", "/api/v1/devices/{id}/alerts:");
    }
}
