package dev.fleetlet.server.api;

import static dev.fleetlet.server.support.FleetTestServer.admin;
import static dev.fleetlet.server.support.FleetTestServer.basic;
import static dev.fleetlet.server.support.FleetTestServer.enrollment;
import static dev.fleetlet.server.support.FleetTestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetlet.server.support.FleetTestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestApiTest {

    @TempDir
    static Path dataDir;
    static FleetTestServer server;
    static String deviceId;
    static final String VIEWER = basic("vera", "viewer-password-1");
    static final String OPERATOR = basic("otto", "operator-password-1");

    @BeforeAll
    static void start() {
        server = FleetTestServer.start(dataDir, Map.of());
        assertThat(server.post("/api/v1/users", admin(),
                "{\"username\":\"vera\",\"password\":\"viewer-password-1\",\"role\":\"VIEWER\"}").statusCode()).isEqualTo(201);
        assertThat(server.post("/api/v1/users", admin(),
                "{\"username\":\"otto\",\"password\":\"operator-password-1\",\"role\":\"OPERATOR\"}").statusCode()).isEqualTo(201);
        String token = server.createToken("lab", null);
        deviceId = json(server.post("/api/v1/enroll", null, enrollment(token, "SER-REST-1", "s".repeat(40))))
                .get("deviceId").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void assertProblem(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        JsonNode p = json(r);
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("code").asText()).isEqualTo(code);
        assertThat(p.get("type").asText()).isEqualTo("https://fleetlet.dev/problems/" + code.toLowerCase().replace('_', '-'));
        assertThat(p.get("title").asText()).isNotBlank();
        assertThat(p.has("detail")).isTrue();
    }

    @Test
    void answers401ProblemWithoutCredentialsOrWithAWrongPassword() {
        assertProblem(server.get("/api/v1/devices", null), 401, "UNAUTHENTICATED");
        assertProblem(server.get("/api/v1/devices", basic("admin", "wrong")), 401, "UNAUTHENTICATED");
        assertProblem(server.get("/api/v1/devices", "Bearer fat_0000000000_" + "x".repeat(32)), 401, "UNAUTHENTICATED");
    }

    @Test
    void letsAViewerReadButNotWrite() {
        assertThat(server.get("/api/v1/devices", VIEWER).statusCode()).isEqualTo(200);
        assertThat(server.get("/api/v1/devices/" + deviceId, VIEWER).statusCode()).isEqualTo(200);
        assertProblem(server.send("PATCH", "/api/v1/devices/" + deviceId, VIEWER, "{\"labels\":{\"env\":\"prod\"}}"), 403, "FORBIDDEN");
        assertProblem(server.post("/api/v1/devices/" + deviceId + "/decommission", VIEWER, null), 403, "FORBIDDEN");
        assertProblem(server.post("/api/v1/provisioning-tokens", VIEWER, "{\"fleet\":\"lab\"}"), 403, "FORBIDDEN");
        assertProblem(server.get("/api/v1/users", OPERATOR), 403, "FORBIDDEN");
    }

    @Test
    void letsAnOperatorRelabelAndFindTheDeviceBySelector() {
        // when an operator sets labels (merge patch) and removes one
        HttpResponse<String> r = server.send("PATCH", "/api/v1/devices/" + deviceId, OPERATOR,
                "{\"name\":\"greenhouse-1\",\"labels\":{\"env\":\"prod\",\"site\":\"b\",\"tmp\":\"x\"}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        r = server.send("PATCH", "/api/v1/devices/" + deviceId, OPERATOR, "{\"labels\":{\"tmp\":null}}");
        // then
        assertThat(json(r).get("labels").toString()).isEqualTo("{\"env\":\"prod\",\"site\":\"b\"}");
        assertThat(json(r).get("name").asText()).isEqualTo("greenhouse-1");
        JsonNode page = json(server.get("/api/v1/devices?selector=env%3Dprod,site%20in%20(a,b)&page=0&size=10", VIEWER));
        assertThat(page.get("total").asLong()).isEqualTo(1);
        assertThat(page.get("items").get(0).get("id").asText()).isEqualTo(deviceId);
        JsonNode events = json(server.get("/api/v1/devices/" + deviceId + "/events", VIEWER));
        assertThat(events.get("items")).extracting(e -> e.get("type").asText())
                .contains("device.labels-changed", "device.renamed", "device.enrolled");
    }

    @Test
    void namesTheInvalidLabelAndTheSelectorPosition() {
        HttpResponse<String> bad = server.send("PATCH", "/api/v1/devices/" + deviceId, OPERATOR, "{\"labels\":{\"env\":\"-x\"}}");
        assertProblem(bad, 400, "INVALID_LABEL");
        assertThat(json(bad).get("errors").get(0).get("field").asText()).isEqualTo("labels.env");
        HttpResponse<String> sel = server.get("/api/v1/devices?selector=env%3Dprod,", VIEWER);
        assertProblem(sel, 400, "INVALID_SELECTOR");
        assertThat(json(sel).get("errors").get(0).get("message").asText()).startsWith("at position 9:");
        assertProblem(server.get("/api/v1/devices?status=sleeping", VIEWER), 400, "VALIDATION_FAILED");
        assertProblem(server.get("/api/v1/devices?size=100000", VIEWER), 400, "VALIDATION_FAILED");
    }

    @Test
    void answersProblemJsonForInvalidBodies() {
        // bean validation: missing fleet, negative maxUses
        HttpResponse<String> r = server.post("/api/v1/provisioning-tokens", OPERATOR, "{\"maxUses\":0}");
        assertProblem(r, 400, "VALIDATION_FAILED");
        assertThat(json(r).get("errors")).extracting(e -> e.get("field").asText()).contains("fleet", "maxUses");
        // unparseable JSON
        assertProblem(server.post("/api/v1/provisioning-tokens", OPERATOR, "{not json"), 400, "INVALID_REQUEST");
        // unknown device and unknown route
        assertProblem(server.get("/api/v1/devices/dev-nothere", VIEWER), 404, "NOT_FOUND");
        assertProblem(server.get("/api/v1/nothing-here", VIEWER), 404, "NOT_FOUND");
    }

    @Test
    void acceptsBearerApiTokensShownOnceAndRefusesThemAfterRevocation() {
        HttpResponse<String> created = server.post("/api/v1/api-tokens", VIEWER, "{\"name\":\"grafana\",\"expiresInDays\":30}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String bearer = "Bearer " + json(created).get("secret").asText();
        String id = json(created).get("token").get("id").asText();
        assertThat(server.get("/api/v1/devices", bearer).statusCode()).isEqualTo(200);
        assertProblem(server.send("PATCH", "/api/v1/devices/" + deviceId, bearer, "{\"name\":\"x\"}"), 403, "FORBIDDEN");
        assertThat(server.get("/api/v1/api-tokens", VIEWER).body()).doesNotContain(json(created).get("secret").asText());
        assertThat(server.post("/api/v1/api-tokens/" + id + "/revoke", VIEWER, null).statusCode()).isEqualTo(200);
        assertProblem(server.get("/api/v1/devices", bearer), 401, "UNAUTHENTICATED");
    }

    @Test
    void servesHealthAnonymouslyAndMetricsToSignedInUsers() {
        HttpResponse<String> health = server.get("/health", null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json(health).get("status").asText()).isEqualTo("UP");
        assertThat(json(health).has("details")).as("details only for signed-in users").isFalse();
        HttpResponse<String> ready = server.get("/health/readiness", VIEWER);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(json(ready).get("details").get("jdbc").get("status").asText()).isEqualTo("UP");
        assertThat(server.get("/prometheus", null).statusCode()).isEqualTo(401);
        server.get("/api/v1/devices", VIEWER);
        HttpResponse<String> metrics = server.get("/prometheus", VIEWER);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("fleetlet_devices{status=\"offline\"}", "http_server_requests_seconds_count",
                "hikaricp_connections");
    }

    @Test
    void servesAnOpenApiDocumentListingTheEndpoints() {
        HttpResponse<String> doc = server.get("/openapi/fleetlet-v1.yml", null);
        assertThat(doc.statusCode()).isEqualTo(200);
        assertThat(doc.body()).contains("/api/v1/enroll:", "/api/v1/devices:", "/api/v1/devices/{id}:",
                "/api/v1/devices/{id}/decommission:", "/api/v1/devices/{id}/events:", "/api/v1/provisioning-tokens:",
                "/api/v1/provisioning-tokens/{id}/revoke:", "/api/v1/enrollments/pending:", "/api/v1/enrollments/{id}/approve:",
                "/api/v1/enrollments/allowlist:", "/api/v1/service-accounts:", "/api/v1/users:", "/api/v1/api-tokens:",
                "/api/v1/events/stream:");
    }
}
