package dev.fleetlet.hil.agente2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetlet.hil.agent.AgentLaunch;
import dev.fleetlet.hil.agent.AgentProcess;
import dev.fleetlet.hil.agent.AgentSpec;
import dev.fleetlet.hil.server.FleetAdminClient;
import dev.fleetlet.hil.server.InProcessServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Enrollment over HTTPS: the fleet server's REST API with a TLS listener on a key pair generated here (keytool,
 * self-signed, SAN 127.0.0.1), and real agents whose provisioning file carries a CA certificate. With the server's
 * certificate as CA the agent enrolls over HTTPS and publishes; with another certificate it refuses the handshake,
 * says so in its log and keeps retrying with back-off. The broker's TLS listener uses the same key pair and the
 * server tells devices {@code ssl://127.0.0.1:<port>}, so the trusting agent's MQTT session is verified against the
 * same CA. (Plain HTTP stays open beside HTTPS, {@code micronaut.server.dual-protocol}, for the operator calls of the
 * test.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpsEnrollmentIT {

    private static final String STORE_PASSWORD = "e2e-keystore-password";

    private Path work;
    private InProcessServer server;
    private FleetAdminClient admin;
    private URI https;
    private String token;
    private String serverCaPem;
    private String otherCaPem;
    private AgentProcess trusting;
    private AgentProcess distrusting;

    @BeforeAll
    void startHttpsServer() throws Exception {
        work = E2e.workDir(getClass());
        Path keystore = keyPair(work, "api");
        serverCaPem = exportPem(work, keystore, "api");
        otherCaPem = exportPem(work, keyPair(work, "other"), "other");
        int httpPort = InProcessServer.freePort();
        int httpsPort = InProcessServer.freePort();
        int mqttTlsPort = InProcessServer.freePort();
        Map<String, Object> props = new java.util.HashMap<>();
        props.put("fleetlet.admin.initial-password", E2e.ADMIN_PASSWORD);
        props.put("fleetlet.security.pbkdf2-iterations", 1000);
        props.put("fleetlet.http.tls.keystore", keystore.toString());
        props.put("fleetlet.http.tls.password", STORE_PASSWORD);
        props.put("fleetlet.http.tls.port", httpsPort);
        props.put("micronaut.server.dual-protocol", true);
        // MQTT over TLS with the same key pair: devices are told ssl://, checked against the provisioning CA too
        props.put("fleetlet.mqtt.tls.keystore", keystore.toString());
        props.put("fleetlet.mqtt.tls.password", STORE_PASSWORD);
        props.put("fleetlet.mqtt.tls.port", mqttTlsPort);
        props.put("fleetlet.mqtt.public-uri", "ssl://127.0.0.1:" + mqttTlsPort);
        server = InProcessServer.start(work.resolve("server"), httpPort, InProcessServer.freePort(), props);
        admin = new FleetAdminClient(URI.create("http://127.0.0.1:" + httpPort), "admin", E2e.ADMIN_PASSWORD);
        https = URI.create("https://127.0.0.1:" + httpsPort);
        token = admin.createProvisioningToken("e2e-tls", "HttpsEnrollmentIT", null).secret();
    }

    @AfterAll
    void stopAll() {
        for (AutoCloseable c : new AutoCloseable[] {trusting, distrusting, server}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }

    @Test
    void anAgentTrustingTheServersCaEnrollsOverHttpsAndPublishes() {
        // given a provisioning file with the https URL and the server's certificate as CA
        trusting = AgentProcess.create(work, "agent-trusting", AgentSpec.of(https, token, "e2e00000000000c1")
                .withCaCertificatePem(serverCaPem), AgentLaunch.fromSystemProperties()).start();
        // when / then it enrolls
        E2e.until("enrolled over https", Duration.ofSeconds(90), () -> trusting.deviceId().isPresent(), trusting);
        String id = trusting.deviceId().orElseThrow();
        assertThat(trusting.log()).contains("device enrolled deviceId=" + id);
        assertThat(admin.device(id).path("serial").asText()).isEqualTo("e2e00000000000c1");
        assertThat(trusting.log()).contains("mqttUri=ssl://127.0.0.1:");
        // and its readings reach the server
        E2e.until("telemetry of the https-enrolled agent", Duration.ofSeconds(60),
                () -> admin.telemetry(id, null, 100).path("points").size() > 0, trusting);
    }

    @Test
    void anAgentWithAnotherCaRefusesTheServerSaysWhyAndKeepsRetrying() throws Exception {
        // given a provisioning file whose CA did not sign the server's certificate
        distrusting = AgentProcess.create(work, "agent-distrusting", AgentSpec.of(https, token, "e2e00000000000c2")
                .withCaCertificatePem(otherCaPem), AgentLaunch.fromSystemProperties()).start();
        // when it tries to enroll, then each attempt fails on the TLS handshake, logged with the cause
        String failure = "enrollment server unavailable";
        E2e.until("three failed enrollment attempts", Duration.ofSeconds(60), () -> distrusting.count(failure) >= 3,
                distrusting);
        List<String> lines = distrusting.logLines(failure);
        assertThat(lines).as(distrusting.describe()).allSatisfy(line -> assertThat(line)
                .contains("cannot reach " + https).contains("SSLHandshakeException"));
        // and it keeps retrying with back-off (cap 2 s, full jitter): more attempts over time, but no tight loop
        int before = distrusting.count(failure);
        TimeUnit.SECONDS.sleep(10); // an observation window, not a condition
        int during = distrusting.count(failure) - before;
        assertThat(during).as(distrusting.describe()).isBetween(2, 60);
        assertThat(distrusting.isAlive()).isTrue();
        // and it never got an identity or a place in the registry
        assertThat(distrusting.deviceId()).isEmpty();
        JsonNode devices = admin.devices(null, 0, 100).path("items");
        devices.forEach(d -> assertThat(d.path("serial").asText()).isNotEqualTo("e2e00000000000c2"));
    }

    private static Path keyPair(Path dir, String alias) throws Exception {
        Path store = dir.resolve(alias + ".p12");
        run(keytool(), "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=fleetlet-e2e-" + alias, "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD, "-ext", "san=ip:127.0.0.1,dns:localhost");
        return store;
    }

    private static String exportPem(Path dir, Path store, String alias) throws Exception {
        Path pem = dir.resolve(alias + ".pem");
        run(keytool(), "-exportcert", "-rfc", "-alias", alias, "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", STORE_PASSWORD, "-file", pem.toString());
        return Files.readString(pem, StandardCharsets.US_ASCII);
    }

    private static String keytool() {
        return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", command[1], out).isZero();
    }
}
