package dev.fleetlet.server.release;

import static dev.fleetlet.server.support.FleetTestServer.admin;
import static dev.fleetlet.server.support.FleetTestServer.basic;
import static dev.fleetlet.server.support.FleetTestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetlet.server.db.Jdbc;
import dev.fleetlet.server.support.FleetTestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class RegistryApiTest {

    private static final String SECRET = "tok-Very-Secret-123";

    @TempDir
    static Path dataDir;
    static FleetTestServer server;
    static final String OPERATOR = basic("otto", "operator-password-1");
    static final String VIEWER = basic("vera", "viewer-password-1");

    @BeforeAll
    static void start() {
        server = FleetTestServer.start(dataDir, Map.of());
        server.post("/api/v1/users", admin(), "{\"username\":\"otto\",\"password\":\"operator-password-1\",\"role\":\"OPERATOR\"}");
        server.post("/api/v1/users", admin(), "{\"username\":\"vera\",\"password\":\"viewer-password-1\",\"role\":\"VIEWER\"}");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String body(String host) {
        return FleetTestServer.toJson(Map.of("host", host, "username", "ci-bot", "password", SECRET, "description", "CI pushes"));
    }

    @Test
    void storesCredentialsEncryptedAndNeverShowsOrLogsTheSecret() {
        // given
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        HttpResponse<String> created;
        try {
            // when
            created = server.post("/api/v1/registries", admin(), body("registry.example:5000"));
        } finally {
            root.detachAppender(logs);
        }
        // then
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain(SECRET).doesNotContain("password");
        JsonNode reg = json(created);
        assertThat(reg.get("host").asText()).isEqualTo("registry.example:5000");
        assertThat(reg.get("username").asText()).isEqualTo("ci-bot");
        assertThat(reg.get("createdBy").asText()).isEqualTo("admin");
        HttpResponse<String> list = server.get("/api/v1/registries", admin());
        assertThat(list.body()).contains("registry.example:5000").doesNotContain(SECRET);
        String stored = server.bean(Jdbc.class).queryOne("SELECT secret_enc FROM registry_credentials WHERE host = ?",
                rs -> rs.getString(1), "registry.example:5000").orElseThrow();
        assertThat(stored).doesNotContain(SECRET);
        assertThat(server.bean(RegistryCredentialService.class).forHost("Registry.Example:5000"))
                .hasValueSatisfying(login -> {
                    assertThat(login.password()).isEqualTo(SECRET);
                    assertThat(login.toString()).doesNotContain(SECRET);
                });
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(m -> assertThat(m).contains("registry credentials stored"))
                .allSatisfy(m -> assertThat(m).doesNotContain(SECRET));
    }

    @Test
    void refusesASecondEntryForTheSameHostAndDeletesById() {
        String id = json(server.post("/api/v1/registries", admin(), body("dup.example"))).get("id").asText();
        HttpResponse<String> again = server.post("/api/v1/registries", admin(), body("DUP.example"));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
        assertThat(json(again).get("errors").get(0).get("field").asText()).isEqualTo("host");

        assertThat(server.send("DELETE", "/api/v1/registries/" + id, admin(), null).statusCode()).isEqualTo(204);
        assertThat(server.bean(RegistryCredentialService.class).forHost("dup.example")).isEmpty();
        assertThat(server.send("DELETE", "/api/v1/registries/" + id, admin(), null).statusCode()).isEqualTo(404);
    }

    @Test
    void rejectsAHostThatIsNotAnImageRegistryHostNamingTheField() {
        HttpResponse<String> r = server.post("/api/v1/registries", admin(), body("https://ghcr.io/x"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).get("errors").get(0).get("field").asText()).isEqualTo("host");
        HttpResponse<String> noPassword = server.post("/api/v1/registries", admin(), "{\"host\":\"ghcr.io\",\"username\":\"u\"}");
        assertThat(noPassword.statusCode()).isEqualTo(400);
        assertThat(noPassword.body()).contains("password");
    }

    @Test
    void onlyAdminsManageRegistries() {
        assertThat(server.get("/api/v1/registries", OPERATOR).statusCode()).isEqualTo(403);
        assertThat(server.get("/api/v1/registries", VIEWER).statusCode()).isEqualTo(403);
        assertThat(server.post("/api/v1/registries", OPERATOR, body("op.example")).statusCode()).isEqualTo(403);
        assertThat(server.get("/api/v1/registries", null).statusCode()).isEqualTo(401);
    }
}
