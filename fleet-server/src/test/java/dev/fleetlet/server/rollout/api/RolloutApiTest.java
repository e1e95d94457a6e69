package dev.fleetlet.server.rollout.api;

import static dev.fleetlet.server.support.FleetTestServer.admin;
import static dev.fleetlet.server.support.FleetTestServer.basic;
import static dev.fleetlet.server.support.FleetTestServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetlet.server.device.DeviceHardware;
import dev.fleetlet.server.device.DeviceRepository;
import dev.fleetlet.server.device.NewDevice;
import dev.fleetlet.server.rollout.engine.RecordingPublisher;
import dev.fleetlet.server.support.FleetTestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rollout REST API on a real server (H2, in-memory release catalog and publisher, no broker). */
class RolloutApiTest {

    @TempDir
    static Path dir;
    static FleetTestServer server;
    static String viewer;
    static String operator;

    static final String PLAN = "{\"canary\":{\"count\":1},\"waves\":[{\"percent\":100}],\"maxConcurrent\":10,"
            + "\"soak\":\"PT1M\",\"deviceTimeout\":\"PT5M\",\"thresholds\":{\"perWave\":{\"percent\":10}},\"onBreach\":\"PAUSE\"}";

    @BeforeAll
    static void start() {
        server = FleetTestServer.start(dir, Map.of("fleetlet.test.release-catalog", "memory",
                "fleetlet.test.publisher", "memory", "fleetlet.rollouts.tick", "50ms"));
        DeviceRepository devices = server.bean(DeviceRepository.class);
        for (int i = 0; i < 6; i++) {
            String env = i < 4 ? "prod" : "lab";
            devices.insert(new NewDevice("dev-" + i, "serial-" + i, "dev-" + i, "default", Map.of("env", env),
                    new DeviceHardware("Pi 4", "arm64", null, 4096L, null, null, "0.1.0", List.of()), null, Instant.now()));
        }
        for (String[] u : new String[][] {{"vera", "VIEWER"}, {"otto", "OPERATOR"}}) {
            HttpResponse<String> r = server.post("/api/v1/users", admin(), FleetTestServer.toJson(
                    Map.of("username", u[0], "password", "password-of-" + u[0], "role", u[1])));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        }
        viewer = basic("vera", "password-of-vera");
        operator = basic("otto", "password-of-otto");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String body(String releaseId, String selector, String plan) {
        return "{\"releaseId\":\"" + releaseId + "\",\"selector\":\"" + selector + "\",\"plan\":" + plan + "}";
    }

    @Test
    void unauthenticatedCallsAre401AndViewersCannotCreateOrControl() {
        assertThat(server.get("/api/v1/rollouts", null).statusCode()).isEqualTo(401);
        assertThat(server.get("/api/v1/rollouts", viewer).statusCode()).isEqualTo(200);
        assertThat(server.post("/api/v1/rollouts", viewer, body("app-2", "env=prod", PLAN)).statusCode()).isEqualTo(403);
        String id = json(server.post("/api/v1/rollouts", operator, body("app-2", "env=prod", PLAN))).get("id").asText();
        HttpResponse<String> start = server.post("/api/v1/rollouts/" + id + "/start", viewer, null);
        assertThat(start.statusCode()).isEqualTo(403);
        assertThat(start.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("problem+json"));
    }

    @Test
    void anInvalidRequestListsEveryProblemWithItsField() {
        String plan = "{\"canary\":{\"percent\":150},\"waves\":[],\"maxConcurrent\":0,\"soak\":\"ten minutes\","
                + "\"deviceTimeout\":\"PT5M\",\"onBreach\":\"EXPLODE\"}";
        HttpResponse<String> r = server.post("/api/v1/rollouts", operator, body("nope", "env in (", plan));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        List<String> fields = new ArrayList<>();
        json(r).get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertThat(fields).contains("releaseId", "selector", "plan.canary", "plan.waves", "plan.maxConcurrent", "plan.soak",
                "plan.onBreach");
        assertThat(server.post("/api/v1/rollouts", operator, "[1,2]").statusCode()).isEqualTo(400);
    }

    @Test
    void previewCountsAndExplainsWithoutCreating() {
        long before = json(server.get("/api/v1/rollouts", viewer)).get("total").asLong();
        HttpResponse<String> r = server.post("/api/v1/rollouts/preview", viewer, body("app-2", "env=prod", PLAN));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode p = json(r);
        assertThat(p.get("devices").asInt()).isEqualTo(4);
        assertThat(p.get("excluded").asInt()).isEqualTo(2);
        assertThat(p.get("groupSizes").toString()).isEqualTo("[1,3]");
        assertThat(p.get("forecast").get("summary").asText()).contains("2 groups");
        assertThat(p.get("sample").toString()).contains("SELECTOR_MISMATCH");
        assertThat(json(server.get("/api/v1/rollouts", viewer)).get("total").asLong()).isEqualTo(before);
    }

    @Test
    void createStartAndFollowARolloutThroughTheApi() {
        HttpResponse<String> created = server.post("/api/v1/rollouts", operator, body("app-3", "env=prod", PLAN));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = json(created).get("id").asText();
        assertThat(json(created).get("devices").asInt()).isEqualTo(4);

        HttpResponse<String> start = server.post("/api/v1/rollouts/" + id + "/start", operator, null);
        assertThat(start.statusCode()).as(start.body()).isEqualTo(202);
        assertThat(json(start).get("seq").asLong()).isEqualTo(1);

        RecordingPublisher published = server.bean(RecordingPublisher.class);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode r = json(server.get("/api/v1/rollouts/" + id, viewer));
            assertThat(r.get("phase").asText()).isEqualTo("RUNNING");
            assertThat(r.get("groups").get(0).get("updating").asInt()).isEqualTo(1);
            assertThat(r.get("currentGroupName").asText()).isEqualTo("canary");
        });
        String canary = json(server.get("/api/v1/rollouts/" + id + "/devices?status=dispatched", viewer)).get("items").get(0)
                .get("deviceId").asText();
        await().untilAsserted(() -> assertThat(published.releaseOf(canary)).isEqualTo("app-3"));

        // a second start is refused with the reason; pause is accepted
        HttpResponse<String> again = server.post("/api/v1/rollouts/" + id + "/start", operator, null);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(json(again).get("detail").asText()).contains("RUNNING");
        assertThat(server.post("/api/v1/rollouts/" + id + "/pause", operator, null).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(json(server.get("/api/v1/rollouts/" + id, viewer)).get("phase").asText()).isEqualTo("PAUSED"));

        JsonNode audit = json(server.get("/api/v1/rollouts/" + id + "/audit", viewer));
        assertThat(audit.get("items").toString()).contains("created by otto").contains("started by otto").contains("paused by otto");
        JsonNode explainIn = json(server.get("/api/v1/rollouts/" + id + "/explain/" + canary, viewer));
        assertThat(explainIn.get("member").asBoolean()).isTrue();
        JsonNode explainOut = json(server.get("/api/v1/rollouts/" + id + "/explain/dev-5", viewer));
        assertThat(explainOut.get("included").asBoolean()).isFalse();
        assertThat(explainOut.get("reasons").get(0).get("text").asText()).contains("env");
        assertThat(server.get("/api/v1/rollouts/" + id + "/explain/nope", viewer).statusCode()).isEqualTo(404);
        assertThat(server.get("/api/v1/rollouts/nope", viewer).statusCode()).isEqualTo(404);
        assertThat(json(server.get("/api/v1/rollouts?phase=paused", viewer)).get("items").toString()).contains(id);
    }

    @Test
    void pinningAssignsTheReleaseAndExcludesTheDeviceFromOtherRollouts() {
        HttpResponse<String> pin = server.send("PUT", "/api/v1/devices/dev-3/pin", operator, "{\"releaseId\":\"app-1\"}");
        assertThat(pin.statusCode()).as(pin.body()).isEqualTo(200);
        assertThat(server.send("PUT", "/api/v1/devices/dev-3/pin", viewer, "{\"releaseId\":\"app-1\"}").statusCode())
                .isEqualTo(403);
        assertThat(server.send("PUT", "/api/v1/devices/dev-3/pin", operator, "{\"releaseId\":\"nope\"}").statusCode())
                .isEqualTo(400);
        JsonNode desired = json(server.get("/api/v1/devices/dev-3/desired-state", viewer));
        assertThat(desired.get("releaseId").asText()).isEqualTo("app-1");
        JsonNode p = json(server.post("/api/v1/rollouts/preview", viewer, body("app-2", "env=prod", PLAN)));
        assertThat(p.get("sample").toString()).contains("PINNED_TO_OTHER_RELEASE");
        assertThat(server.send("DELETE", "/api/v1/devices/dev-3/pin", operator, null).statusCode()).isEqualTo(204);
        assertThat(server.send("DELETE", "/api/v1/devices/dev-3/pin", operator, null).statusCode()).isEqualTo(404);
    }
}
