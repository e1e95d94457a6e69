package dev.fleetlet.server.enrollment;

import static dev.fleetlet.server.support.FleetTestServer.admin;
import static dev.fleetlet.server.support.FleetTestServer.enrollment;
import static dev.fleetlet.server.support.FleetTestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetlet.server.broker.ClientDirectory;
import dev.fleetlet.server.broker.ClientPrincipal;
import dev.fleetlet.server.db.Jdbc;
import dev.fleetlet.server.support.FleetTestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnrollmentApiTest {

    private static final String SECRET_A = "device-secret-aaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String SECRET_B = "device-secret-bbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    @TempDir
    static Path dataDir;
    static FleetTestServer server;

    @BeforeAll
    static void start() {
        server = FleetTestServer.start(dataDir, Map.of("fleetlet.enrollment.policy", "auto-accept"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> enroll(String token, String serial, String secret) {
        return server.post("/api/v1/enroll", null, enrollment(token, serial, secret));
    }

    private static boolean canConnect(String deviceId, String secret) {
        return server.bean(ClientDirectory.class)
                .authenticate(deviceId, deviceId, secret.getBytes(StandardCharsets.UTF_8))
                .equals(java.util.Optional.of(new ClientPrincipal.Device(deviceId)));
    }

    @Test
    void enrollsAnUnknownSerialAndTellsItsIdAndMqttUri() {
        // given a token of fleet "lab"
        String token = server.createToken("lab", null);
        // when a board enrolls
        HttpResponse<String> r = enroll(token, "SER-HAPPY-1", SECRET_A);
        // then it is accepted with an id and the public MQTT URI, and appears in the registry named by its serial
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("status").asText()).isEqualTo("accepted");
        assertThat(body.get("mqttUri").asText()).isEqualTo("tcp://fleet.test:1883");
        String id = body.get("deviceId").asText();
        JsonNode device = json(server.get("/api/v1/devices/" + id, admin()));
        assertThat(device.get("name").asText()).isEqualTo("SER-HAPPY-1");
        assertThat(device.get("fleet").asText()).isEqualTo("lab");
        assertThat(device.get("hardware").get("arch").asText()).isEqualTo("arm64");
        assertThat(device.get("status").asText()).isEqualTo("OFFLINE");
        assertThat(device.get("labels").isObject()).as("labels present even when empty").isTrue();
        assertThat(canConnect(id, SECRET_A)).isTrue();
        assertThat(canConnect(id, SECRET_B)).isFalse();
    }

    @Test
    void reEnrollmentOfAKnownSerialKeepsTheIdAndReplacesTheSecret() {
        // given an enrolled board
        String token = server.createToken("lab", null);
        String id = json(enroll(token, "SER-AGAIN-1", SECRET_A)).get("deviceId").asText();
        // when it enrolls again with the same secret, then with a new one
        HttpResponse<String> same = enroll(token, "SER-AGAIN-1", SECRET_A);
        HttpResponse<String> renewed = enroll(token, "SER-AGAIN-1", SECRET_B);
        // then the id is stable and only the newest secret opens the broker
        assertThat(json(same).get("deviceId").asText()).isEqualTo(id);
        assertThat(json(renewed).get("deviceId").asText()).isEqualTo(id);
        assertThat(canConnect(id, SECRET_B)).isTrue();
        assertThat(canConnect(id, SECRET_A)).isFalse();
        assertThat(json(server.get("/api/v1/devices?selector=&size=500", admin())).get("items"))
                .filteredOn(d -> d.get("serial").asText().equals("SER-AGAIN-1")).hasSize(1);
    }

    @Test
    void refusesAWrongOrUnknownToken() {
        String token = server.createToken("lab", null);
        String wrongSecret = token.substring(0, token.length() - 4) + "ZZZZ";
        assertThat(enroll(wrongSecret, "SER-WRONG-1", SECRET_A).statusCode()).isEqualTo(401);
        assertThat(enroll("flt_0000000000_" + "A".repeat(32), "SER-WRONG-1", SECRET_A).statusCode()).isEqualTo(401);
    }

    @Test
    void refusesARevokedToken() {
        // given a revoked token
        String token = server.createToken("lab", null);
        String tokenId = token.split("_")[1];
        assertThat(server.post("/api/v1/provisioning-tokens/" + tokenId + "/revoke", admin(), null).statusCode()).isEqualTo(200);
        // when a board enrolls with it
        HttpResponse<String> r = enroll(token, "SER-REVOKED-1", SECRET_A);
        // then 401 problem saying revoked
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        assertThat(json(r).get("code").asText()).isEqualTo("ENROLLMENT_TOKEN_INVALID");
        assertThat(json(r).get("detail").asText()).contains("revoked");
    }

    @Test
    void refusesAnExpiredToken() {
        // given a token whose validity ended a second ago
        String token = server.createToken("lab", null);
        server.bean(Jdbc.class).update("UPDATE provisioning_tokens SET expires_at = ? WHERE id = ?",
                Instant.now().minusSeconds(1), token.split("_")[1]);
        // when/then
        HttpResponse<String> r = enroll(token, "SER-EXPIRED-1", SECRET_A);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(json(r).get("detail").asText()).contains("expired");
    }

    @Test
    void refusesANewSerialOnceTheTokenIsExhaustedButStillReEnrollsKnownOnes() {
        // given a single-use token already used by one board
        String token = server.createToken("lab", 1);
        String id = json(enroll(token, "SER-ONCE-1", SECRET_A)).get("deviceId").asText();
        // when a second board uses it
        HttpResponse<String> second = enroll(token, "SER-ONCE-2", SECRET_A);
        // then it is refused, while the first board can still re-enroll idempotently
        assertThat(second.statusCode()).isEqualTo(401);
        assertThat(json(second).get("detail").asText()).contains("exhausted");
        assertThat(json(enroll(token, "SER-ONCE-1", SECRET_A)).get("deviceId").asText()).isEqualTo(id);
    }

    @Test
    void answersProblemJsonNamingTheFieldForAnInvalidBody() {
        // given a body whose device secret is too short
        String body = enrollment(server.createToken("lab", null), "SER-BAD-1", "short");
        // when
        HttpResponse<String> r = server.post("/api/v1/enroll", null, body);
        // then
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode p = json(r);
        assertThat(p.get("type").asText()).startsWith("https://fleetlet.dev/problems/");
        assertThat(p.get("status").asInt()).isEqualTo(400);
        assertThat(p.get("errors").get(0).get("field").asText()).isEqualTo("deviceSecret");
    }

    @Test
    void aDecommissionedDeviceCanNoLongerAuthenticateNorReEnroll() {
        // given an enrolled device that authenticates (and is cached as verified)
        String token = server.createToken("lab", null);
        String id = json(enroll(token, "SER-DECOM-1", SECRET_A)).get("deviceId").asText();
        assertThat(canConnect(id, SECRET_A)).isTrue();
        // when an operator decommissions it
        HttpResponse<String> r = server.post("/api/v1/devices/" + id + "/decommission", admin(), null);
        // then the broker directory refuses it, and enrollment with a valid token is refused too
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("status").asText()).isEqualTo("DECOMMISSIONED");
        assertThat(canConnect(id, SECRET_A)).isFalse();
        HttpResponse<String> again = enroll(token, "SER-DECOM-1", SECRET_B);
        assertThat(again.statusCode()).isEqualTo(403);
        assertThat(json(again).get("code").asText()).isEqualTo("DEVICE_DECOMMISSIONED");
        assertThat(canConnect(id, SECRET_B)).isFalse();
    }

    @Test
    void serviceAccountsAuthenticateAsTelemetryReadersUntilDeleted() {
        // given a service account
        HttpResponse<String> created = server.post("/api/v1/service-accounts", admin(), "{\"name\":\"svc-grafana\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        byte[] secret = json(created).get("secret").asText().getBytes(StandardCharsets.UTF_8);
        ClientDirectory directory = server.bean(ClientDirectory.class);
        // then it authenticates with any client id, and not after deletion
        assertThat(directory.authenticate("grafana-1", "svc-grafana", secret))
                .contains(new ClientPrincipal.TelemetryReader("svc-grafana"));
        assertThat(directory.authenticate("grafana-1", "svc-grafana", "nope".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(server.send("DELETE", "/api/v1/service-accounts/svc-grafana", admin(), null).statusCode()).isEqualTo(204);
        assertThat(directory.authenticate("grafana-1", "svc-grafana", secret)).isEmpty();
    }

    @Test
    void refusesUnknownClientsAndDeviceIdsUsedWithAnotherClientId() {
        String token = server.createToken("lab", null);
        String id = json(enroll(token, "SER-CLIENTID-1", SECRET_A)).get("deviceId").asText();
        ClientDirectory directory = server.bean(ClientDirectory.class);
        assertThat(directory.authenticate("other", id, SECRET_A.getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(directory.authenticate("dev-unknown0000", "dev-unknown0000", SECRET_A.getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(directory.authenticate(id, id, null)).isEmpty();
        assertThat(directory.authenticate(id, null, SECRET_A.getBytes(StandardCharsets.UTF_8))).isEmpty();
    }
}
