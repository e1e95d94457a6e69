package dev.fleetlet.server.db;

import static dev.fleetlet.server.support.FleetTestServer.admin;
import static dev.fleetlet.server.support.FleetTestServer.enrollment;
import static dev.fleetlet.server.support.FleetTestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.server.support.FleetTestServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The whole server switched to PostgreSQL by configuration alone ({@code datasources.default.*}). */
@ExtendWith(PostgresExtension.class)
class PostgresServerIT {

    @TempDir
    Path dataDir;

    @Test
    void runsEnrollmentAndSelectorQueriesOnPostgres() {
        String url = PostgresExtension.newDatabaseUrl();
        try (FleetTestServer server = FleetTestServer.start(dataDir, Map.of(
                "datasources.default.url", url,
                "datasources.default.username", "fleetlet",
                "datasources.default.password", "",
                "datasources.default.driver-class-name", "org.postgresql.Driver"))) {
            // when a board enrolls and is labelled
            String token = server.createToken("lab", 5);
            String id = json(server.post("/api/v1/enroll", null, enrollment(token, "SER-PG-1", "p".repeat(40)))).get("deviceId").asText();
            HttpResponse<String> patched = server.send("PATCH", "/api/v1/devices/" + id, admin(), "{\"labels\":{\"env\":\"prod\",\"gpu\":\"\"}}");
            assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
            // then selector queries, events and token counts come from PostgreSQL, and no H2 file was created
            var page = json(server.get("/api/v1/devices?selector=env%3Dprod,gpu,!beta", admin()));
            assertThat(page.get("items")).extracting(d -> d.get("id").asText()).containsExactly(id);
            assertThat(json(server.get("/api/v1/devices/" + id + "/events", admin())).get("total").asLong()).isEqualTo(2);
            assertThat(json(server.get("/api/v1/provisioning-tokens", admin())).get("items").get(0).get("uses").asInt()).isEqualTo(1);
            assertThat(Files.exists(dataDir.resolve("db/fleetlet.mv.db"))).isFalse();
            assertThat(server.get("/health/readiness", admin()).body()).contains("PostgreSQL");
        }
    }
}
