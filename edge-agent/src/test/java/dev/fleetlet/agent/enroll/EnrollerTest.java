package dev.fleetlet.agent.enroll;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.fleetlet.agent.backoff.Backoff;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.protocol.message.HardwareFacts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnrollerTest {

    private static final String TOKEN = "fpt_3J8kQ2vX9mN4pL7wR1tY6uZ0";
    private static final HardwareFacts FACTS = new HardwareFacts("10000000a1b2c3d4", "Raspberry Pi 4 Model B Rev 1.4",
            "arm64", "v8", 3796, "6.6.31", "Debian GNU/Linux 12 (bookworm)", "0.1.0", List.of("cgroup:v2"));
    private static final String ACCEPTED = """
            {"status":"accepted","deviceId":"pi-kitchen-01","mqttUri":"tcp://fleet.example:1883",
             "serverTime":"2025-06-01T10:00:00Z"}""";

    private final ProtocolCodec codec = new ProtocolCodec();
    private final Deque<Object[]> answers = new ArrayDeque<>();
    private final List<JsonNode> requests = new ArrayList<>();
    private final List<Duration> sleeps = new ArrayList<>();
    private HttpServer server;

    @TempDir
    Path dataDir;

    @BeforeEach
    void startFakeServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/enroll", exchange -> {
            requests.add(codec.mapper().readTree(exchange.getRequestBody().readAllBytes()));
            Object[] answer = answers.isEmpty() ? new Object[] {500, ""} : answers.poll();
            byte[] body = ((String) answer[1]).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders((int) answer[0], body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopFakeServer() {
        server.stop(0);
    }

    @Test
    void enrollsOnFirstBootAndStoresCredentialsReadableOnlyByTheOwner() throws Exception {
        answers.add(new Object[] {200, ACCEPTED});

        DeviceCredentials creds = enroller(url()).credentials();

        assertThat(creds.deviceId()).isEqualTo("pi-kitchen-01");
        assertThat(creds.mqttUri()).isEqualTo(URI.create("tcp://fleet.example:1883"));
        JsonNode sent = requests.get(0);
        assertThat(sent.get("token").asText()).isEqualTo(TOKEN);
        assertThat(sent.get("serial").asText()).isEqualTo("10000000a1b2c3d4");
        assertThat(sent.get("deviceSecret").asText()).hasSize(43).matches("[A-Za-z0-9_-]+")
                .isEqualTo(creds.secret());
        for (String f : List.of("identity/device-secret", "identity/credentials.json")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve(f))))
                    .as(f).isEqualTo("rw-------");
        }
        assertThat(Files.readString(dataDir.resolve("identity/credentials.json"))).doesNotContain(creds.secret());
    }

    @Test
    void usesStoredCredentialsAfterARebootWithoutCallingTheServer() throws Exception {
        answers.add(new Object[] {200, ACCEPTED});
        DeviceCredentials first = enroller(url()).credentials();

        DeviceCredentials afterReboot = enroller(url()).credentials();

        assertThat(afterReboot).isEqualTo(first);
        assertThat(requests).hasSize(1);
    }

    @Test
    void retriesWithBackoffWhileUnavailableAndPendingKeepingTheSameSecret() throws Exception {
        answers.add(new Object[] {503, ""});
        answers.add(new Object[] {202, "{\"status\":\"pending\",\"retryAfterSeconds\":30,\"serverTime\":\"2025-06-01T10:00:00Z\"}"});
        answers.add(new Object[] {200, ACCEPTED});

        DeviceCredentials creds = enroller(url()).credentials();

        assertThat(creds.deviceId()).isEqualTo("pi-kitchen-01");
        assertThat(requests).hasSize(3);
        assertThat(requests).extracting(r -> r.get("deviceSecret").asText()).containsOnly(creds.secret());
        assertThat(sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    @Test
    void retriesWhenTheServerIsNotListeningAtAll() throws Exception {
        URI dead = url();
        server.stop(0);
        Enroller enroller = enroller(dead);

        EnrollOutcome outcome = enroller.attempt();

        assertThat(outcome).isInstanceOfSatisfying(EnrollOutcome.Unavailable.class,
                u -> assertThat(u.reason()).contains("cannot reach"));
    }

    @Test
    void explainsARefusedTokenAndADeniedSerial() throws Exception {
        answers.add(new Object[] {401, "{\"title\":\"Unauthorized\",\"detail\":\"token revoked\"}"});
        answers.add(new Object[] {403, "{\"title\":\"Forbidden\",\"detail\":\"serial not allowed\"}"});
        Enroller enroller = enroller(url());

        EnrollOutcome token = enroller.attempt();
        EnrollOutcome serial = enroller.attempt();

        assertThat(token).isInstanceOfSatisfying(EnrollOutcome.Refused.class, r -> {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.reason()).contains("provisioning token", "token revoked");
        });
        assertThat(serial).isInstanceOfSatisfying(EnrollOutcome.Refused.class, r ->
                assertThat(r.reason()).contains("10000000a1b2c3d4", "allowlist", "serial not allowed"));
        assertThat(dataDir.resolve("identity/credentials.json")).doesNotExist();
    }

    @Test
    void treatsAnUnreadableAcceptedAnswerAsUnavailableNamingTheField() throws Exception {
        answers.add(new Object[] {200, "{\"status\":\"granted\",\"deviceId\":\"pi-kitchen-01\"}"});
        answers.add(new Object[] {200, "{\"status\":\"accepted\",\"deviceId\":\"pi-kitchen-01\",\"mqttUri\":\"broker\"}"});
        answers.add(new Object[] {200, "[1,2]"});
        Enroller enroller = enroller(url());

        EnrollOutcome status = enroller.attempt();
        EnrollOutcome uri = enroller.attempt();
        EnrollOutcome array = enroller.attempt();

        assertThat(status).isInstanceOfSatisfying(EnrollOutcome.Unavailable.class,
                u -> assertThat(u.reason()).contains("unreadable enrollment answer", "granted"));
        assertThat(uri).isInstanceOfSatisfying(EnrollOutcome.Unavailable.class,
                u -> assertThat(u.reason()).contains("mqttUri", "broker"));
        assertThat(array).isInstanceOfSatisfying(EnrollOutcome.Unavailable.class,
                u -> assertThat(u.reason()).contains("expected a JSON object"));
        assertThat(dataDir.resolve("identity/credentials.json")).doesNotExist();
    }

    @Test
    void waitsTheRefusedRetryIntervalAfterARefusal() throws Exception {
        answers.add(new Object[] {403, "{}"});
        answers.add(new Object[] {200, ACCEPTED});

        enroller(url()).credentials();

        assertThat(sleeps).containsExactly(Duration.ofMinutes(10));
    }

    @Test
    void reusesTheSecretOfAnAttemptThatCrashedBeforeStoringCredentials() throws Exception {
        answers.add(new Object[] {503, ""});
        enroller(url()).attempt();
        String secretBeforeCrash = requests.get(0).get("deviceSecret").asText();
        answers.add(new Object[] {200, ACCEPTED});

        DeviceCredentials creds = enroller(url()).credentials();

        assertThat(creds.secret()).isEqualTo(secretBeforeCrash);
    }

    private Enroller enroller(URI serverUrl) {
        EnrollmentClient client = new EnrollmentClient(serverUrl, Optional.empty(), Duration.ofSeconds(5), codec);
        return new Enroller(new CredentialStore(dataDir, new SecureRandom()), client, TOKEN, FACTS,
                new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), bound -> bound), Enroller.REFUSED_RETRY,
                sleeps::add);
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }
}
