package dev.fleetlet.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.provisioning.image.BootFiles;
import dev.fleetlet.provisioning.image.ImageFixture;
import dev.fleetlet.server.db.Jdbc;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fleetctl against the real fleet server started in this JVM (HTTP API and H2 database; MQTT off, manual
 * enrollment policy so approvals can be exercised).
 */
class FleetctlServerIT {

    static final String PASSWORD = "it-admin-password-0815";
    static final Pattern CREATED = Pattern.compile("token \\(shown only now\\): (flt_([a-z0-9]{10})_[A-Za-z0-9]{32})");
    static final ObjectMapper JSON = new ObjectMapper();

    static EmbeddedServer server;
    static String url;
    static Path image;

    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws IOException {
        server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "fleetlet.data-dir", shared.resolve("server").toString(),
                "micronaut.server.port", -1,
                "fleetlet.mqtt.enabled", "false",
                "fleetlet.mqtt.public-uri", "tcp://fleet.test:1883",
                "fleetlet.security.pbkdf2-iterations", 1000,
                "fleetlet.security.machine-secret-pbkdf2-iterations", 1000,
                "fleetlet.admin.initial-password", PASSWORD,
                "fleetlet.enrollment.policy", "manual"));
        url = "http://127.0.0.1:" + server.getPort();
        image = ImageFixture.piImage(shared);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    Path config() {
        return dir.resolve("fleetctl.json");
    }

    @BeforeEach
    void login() {
        CliRun r = CliRun.run(config(), PASSWORD + "\n", "login", "--server", url, "--user", "admin", "--password-stdin");
        assertThat(r.exit()).as(r.toString()).isZero();
    }

    @Test
    void passwordLoginStoresOnlyAnApiToken() throws IOException {
        String stored = Files.readString(config());
        assertThat(stored).contains("\"apiToken\" : \"fat_").doesNotContain(PASSWORD);
        // and the stored token works for a second login through stdin
        String apiToken = JSON.readTree(stored).path("profiles").get(0).path("apiToken").asText();
        Path other = dir.resolve("other.json");
        CliRun r = CliRun.run(other, apiToken + "\n", "login", "--server", url, "--token-stdin");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).doesNotContain(apiToken);
        assertThat(CliRun.run(other, "", "token", "list").exit()).isZero();
    }

    @Test
    void aWrongPasswordIsRefusedWithTheServersReason() {
        CliRun r = CliRun.run(dir.resolve("x.json"), "wrong-password\n", "login", "--server", url, "--user", "admin", "--password-stdin");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("the server refused").contains("HTTP 401").doesNotContain("wrong-password");
        assertThat(dir.resolve("x.json")).doesNotExist();
    }

    @Test
    void createsListsAndRevokesTokens() throws IOException {
        // when
        CliRun created = CliRun.run(config(), "", "token", "create", "--fleet", "lab", "--expires", "30d", "--max-uses", "5",
                "--description", "bench boards");
        // then the secret is printed once and the list shows metadata only
        assertThat(created.exit()).as(created.toString()).isZero();
        Matcher m = CREATED.matcher(created.out());
        assertThat(m.find()).as(created.out()).isTrue();
        CliRun list = CliRun.run(config(), "", "token", "list", "--output", "json");
        JsonNode listed = find(JSON.readTree(list.out()), m.group(2));
        assertThat(listed.path("state").asText()).isEqualTo("ACTIVE");
        assertThat(listed.path("maxUses").asInt()).isEqualTo(5);
        assertThat(listed.path("description").asText()).isEqualTo("bench boards");
        assertThat(list.out()).doesNotContain(m.group(1));
        CliRun table = CliRun.run(config(), "", "token", "list");
        assertThat(table.out()).contains("ID", "FLEET", "STATE", m.group(2), "0/5");
        // when revoked
        CliRun revoked = CliRun.run(config(), "", "token", "revoke", m.group(2));
        assertThat(revoked.exit()).as(revoked.toString()).isZero();
        assertThat(revoked.out()).contains("REVOKED");
    }

    @Test
    void injectsWithAnActiveTokenAndRefusesItOnceRevoked() throws IOException {
        // given an active token
        Path img = copyImage();
        String token = createToken();
        // when injected
        CliRun ok = inject(img, token);
        // then
        assertThat(ok.exit()).as(ok.toString()).isZero();
        assertThat(ok.out()).contains("is active: fleet lab, uses 0/unlimited, expires never", "injected into");
        assertThat(new String(ImageFixture.mtype(img, BootFiles.PROVISIONING))).contains(token, url);
        // when revoked and injected again
        String before = sha(img);
        assertThat(CliRun.run(config(), "", "token", "revoke", token.split("_")[1]).exit()).isZero();
        CliRun refused = inject(img, token);
        // then refused with the reason, image unchanged
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).contains("error: token flt_" + token.split("_")[1] + "_******** was revoked at")
                .doesNotContain(token);
        assertThat(sha(img)).isEqualTo(before);
        // and --force-offline does not override what the server said
        CliRun forced = inject(img, token, "--force-offline");
        assertThat(forced.exit()).as(forced.toString()).isEqualTo(1);
    }

    @Test
    void refusesAnExpiredToken() throws IOException {
        // given a token whose validity ended a minute ago
        String token = createToken();
        server.getApplicationContext().getBean(Jdbc.class).update("UPDATE provisioning_tokens SET expires_at = ? WHERE id = ?",
                Instant.now().minusSeconds(60), token.split("_")[1]);
        // when
        CliRun r = inject(copyImage(), token);
        // then
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("expired at");
    }

    @Test
    void refusesAnExhaustedToken() throws IOException, InterruptedException {
        // given a single-use token already used by an approved board
        CliRun created = CliRun.run(config(), "", "token", "create", "--fleet", "lab", "--max-uses", "1");
        Matcher m = CREATED.matcher(created.out());
        assertThat(m.find()).as(created.toString()).isTrue();
        String token = m.group(1);
        assertThat(enroll(token, "SER-ONCE-1").statusCode()).isEqualTo(202);
        String requestId = pendingId("SER-ONCE-1");
        assertThat(CliRun.run(config(), "", "pending", "approve", requestId).exit()).isZero();
        // when
        CliRun r = inject(copyImage(), token);
        // then
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("is used up (1 of 1 enrollments)");
    }

    @Test
    void refusesATokenTheServerDoesNotKnow() throws IOException {
        CliRun r = inject(copyImage(), "flt_zzzzzzzzzz_" + "Q".repeat(32));
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("is not known to " + url);
    }

    @Test
    void whenTheServerIsDownInjectionNeedsForceOffline() throws IOException {
        // given a profile for a server nobody listens on
        String down;
        try (ServerSocket s = new ServerSocket(0)) {
            down = "http://127.0.0.1:" + s.getLocalPort();
        }
        new ProfileStore(config()).save(new Profile(down, "admin", "fat_0000000000_" + "x".repeat(32), null));
        Path img = copyImage();
        String before = sha(img);
        String token = "flt_abcdef1234_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6";
        // when
        CliRun refused = CliRun.run(config(), "", "image", "inject", img.toString(), "--server", down, "--token", token);
        CliRun forced = CliRun.run(config(), "", "image", "inject", img.toString(), "--server", down, "--token", token, "--force-offline");
        // then
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(3);
        assertThat(refused.err()).contains("cannot reach the fleet server at " + down, "--force-offline");
        assertThat(forced.exit()).as(forced.toString()).isZero();
        assertThat(forced.err()).contains("warning: cannot check token", "injecting anyway (--force-offline)");
        assertThat(sha(img)).isNotEqualTo(before);
    }

    @Test
    void managesTheAllowlist() throws IOException {
        CliRun added = CliRun.run(config(), "", "allowlist", "add", "SER-A1", "SER-A2", "--note", "batch 7");
        assertThat(added.exit()).as(added.toString()).isZero();
        assertThat(added.out()).contains("SER-A1", "SER-A2", "batch 7");
        assertThat(CliRun.run(config(), "", "allowlist", "remove", "SER-A1").exit()).isZero();
        JsonNode list = JSON.readTree(CliRun.run(config(), "", "allowlist", "list", "-o", "json").out());
        assertThat(list.findValuesAsText("serial")).contains("SER-A2").doesNotContain("SER-A1");
    }

    @Test
    void approvesAndRejectsPendingEnrollments() throws IOException, InterruptedException {
        // given two boards asking to enroll under the manual policy
        String token = createToken();
        assertThat(enroll(token, "SER-P1").statusCode()).isEqualTo(202);
        assertThat(enroll(token, "SER-P2").statusCode()).isEqualTo(202);
        CliRun pending = CliRun.run(config(), "", "pending", "list");
        assertThat(pending.out()).contains("SER-P1", "SER-P2", "PENDING");
        // when
        CliRun approved = CliRun.run(config(), "", "pending", "approve", pendingId("SER-P1"));
        CliRun rejected = CliRun.run(config(), "", "pending", "reject", pendingId("SER-P2"));
        // then
        assertThat(approved.exit()).as(approved.toString()).isZero();
        assertThat(rejected.exit()).as(rejected.toString()).isZero();
        assertThat(rejected.out()).contains("REJECTED");
        CliRun devices = CliRun.run(config(), "", "devices", "list", "--selector", "");
        assertThat(devices.out()).contains("SER-P1").doesNotContain("SER-P2");
    }

    @Test
    void aServerProblemIsPrintedWithExit1() {
        CliRun r = CliRun.run(config(), "", "pending", "approve", "no-such-request");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("error: the server refused: Not found").contains("HTTP 404");
        CliRun bad = CliRun.run(config(), "", "token", "create", "--fleet", "Not_A_Fleet");
        assertThat(bad.exit()).as(bad.toString()).isEqualTo(1);
        assertThat(bad.err()).contains("Validation failed", "fleet");
    }

    private CliRun inject(Path img, String token, String... more) {
        String[] base = {"image", "inject", img.toString(), "--server", url, "--token", token};
        String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return CliRun.run(config(), "", args);
    }

    private String createToken() {
        CliRun created = CliRun.run(config(), "", "token", "create", "--fleet", "lab");
        Matcher m = CREATED.matcher(created.out());
        assertThat(m.find()).as(created.toString()).isTrue();
        return m.group(1);
    }

    private String pendingId(String serial) throws IOException {
        JsonNode list = JSON.readTree(CliRun.run(config(), "", "pending", "list", "--output", "json").out());
        for (JsonNode n : list) {
            if (n.path("serial").asText().equals(serial) && n.path("state").asText().equals("PENDING")) {
                return n.path("id").asText();
            }
        }
        throw new AssertionError("no pending request for " + serial + " in " + list);
    }

    private static JsonNode find(JsonNode items, String id) {
        for (JsonNode n : items) {
            if (n.path("id").asText().equals(id)) {
                return n;
            }
        }
        throw new AssertionError("no token " + id + " in " + items);
    }

    private HttpResponse<String> enroll(String token, String serial) throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(Map.of("token", token, "serial", serial, "deviceSecret", "s".repeat(40),
                "hardware", Map.of("serial", serial, "model", "Raspberry Pi 4 Model B", "arch", "arm64", "memoryMb", 2048,
                        "kernel", "6.1.0-rpi", "os", "Debian GNU/Linux 12", "agentVersion", "0.1.0")));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/api/v1/enroll"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private Path copyImage() throws IOException {
        return Files.copy(image, dir.resolve("board.img"));
    }

    private static String sha(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
