package dev.fleetlet.server.enrollment;

import static dev.fleetlet.server.support.FleetTestServer.admin;
import static dev.fleetlet.server.support.FleetTestServer.enrollment;
import static dev.fleetlet.server.support.FleetTestServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetlet.server.broker.ClientDirectory;
import dev.fleetlet.server.support.FleetTestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnrollmentPolicyTest {

    private static final String SECRET = "board-secret-0123456789abcdefghijklmnop";

    @TempDir
    Path dataDir;

    @Test
    void allowlistPolicyAdmitsOnlyListedSerials() {
        try (FleetTestServer server = FleetTestServer.start(dataDir, Map.of("fleetlet.enrollment.policy", "allowlist"))) {
            String token = server.createToken("lab", null);
            // an unlisted serial is refused
            HttpResponse<String> refused = server.post("/api/v1/enroll", null, enrollment(token, "SER-AL-1", SECRET));
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(json(refused).get("code").asText()).isEqualTo("SERIAL_NOT_ALLOWED");
            // once listed it enrolls
            HttpResponse<String> added = server.post("/api/v1/enrollments/allowlist", admin(),
                    "{\"serials\":[\"SER-AL-1\"],\"note\":\"batch 7\"}");
            assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
            HttpResponse<String> ok = server.post("/api/v1/enroll", null, enrollment(token, "SER-AL-1", SECRET));
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            // an invalid allowlist body names the field
            HttpResponse<String> bad = server.post("/api/v1/enrollments/allowlist", admin(), "{\"serials\":[]}");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(json(bad).get("errors").get(0).get("field").asText()).isEqualTo("serials");
        }
    }

    @Test
    void manualPolicyQueuesUntilAnOperatorApproves() {
        try (FleetTestServer server = FleetTestServer.start(dataDir, Map.of("fleetlet.enrollment.policy", "manual"))) {
            String token = server.createToken("lab", null);
            // the board is told to wait, twice, and appears once in the queue
            HttpResponse<String> first = server.post("/api/v1/enroll", null, enrollment(token, "SER-MAN-1", SECRET));
            assertThat(first.statusCode()).isEqualTo(202);
            assertThat(json(first).get("status").asText()).isEqualTo("pending");
            assertThat(first.headers().firstValue("Retry-After")).contains("60");
            assertThat(server.post("/api/v1/enroll", null, enrollment(token, "SER-MAN-1", SECRET)).statusCode()).isEqualTo(202);
            JsonNode pending = json(server.get("/api/v1/enrollments/pending", admin())).get("items");
            assertThat(pending).hasSize(1);
            assertThat(pending.get(0).get("hardware").get("model").asText()).startsWith("Raspberry Pi");
            String pendingId = pending.get(0).get("id").asText();
            // the operator approves: the device exists and its secret works
            HttpResponse<String> approved = server.post("/api/v1/enrollments/" + pendingId + "/approve", admin(), null);
            assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
            String id = json(approved).get("id").asText();
            assertThat(server.bean(ClientDirectory.class).authenticate(id, id, SECRET.getBytes(StandardCharsets.UTF_8))).isPresent();
            // the board's next try is accepted with that id; approving twice is a conflict
            HttpResponse<String> next = server.post("/api/v1/enroll", null, enrollment(token, "SER-MAN-1", SECRET));
            assertThat(next.statusCode()).isEqualTo(200);
            assertThat(json(next).get("deviceId").asText()).isEqualTo(id);
            assertThat(server.post("/api/v1/enrollments/" + pendingId + "/approve", admin(), null).statusCode()).isEqualTo(409);
            assertThat(json(server.get("/api/v1/enrollments/pending", admin())).get("total").asLong()).isZero();
        }
    }

    @Test
    void manualPolicyRefusesARejectedSerial() {
        try (FleetTestServer server = FleetTestServer.start(dataDir, Map.of("fleetlet.enrollment.policy", "manual"))) {
            String token = server.createToken("lab", null);
            assertThat(server.post("/api/v1/enroll", null, enrollment(token, "SER-MAN-2", SECRET)).statusCode()).isEqualTo(202);
            String pendingId = json(server.get("/api/v1/enrollments/pending", admin())).get("items").get(0).get("id").asText();
            HttpResponse<String> rejected = server.post("/api/v1/enrollments/" + pendingId + "/reject", admin(), null);
            assertThat(json(rejected).get("state").asText()).isEqualTo("REJECTED");
            HttpResponse<String> again = server.post("/api/v1/enroll", null, enrollment(token, "SER-MAN-2", SECRET));
            assertThat(again.statusCode()).isEqualTo(403);
            assertThat(json(again).get("code").asText()).isEqualTo("ENROLLMENT_REJECTED");
        }
    }

    @Test
    void refusesAnUnknownPolicyNamingTheKey() {
        assertThatThrownBy(() -> EnrollmentPolicy.parse("yolo"))
                .hasMessageContaining("fleetlet.enrollment.policy").hasMessageContaining("auto-accept, allowlist or manual");
    }
}
