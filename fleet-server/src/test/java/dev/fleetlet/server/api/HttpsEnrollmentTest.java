package dev.fleetlet.server.api;

import static dev.fleetlet.server.support.FleetTestServer.admin;
import static dev.fleetlet.server.support.FleetTestServer.enrollment;
import static dev.fleetlet.server.support.FleetTestServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetlet.server.support.FleetTestServer;
import io.micronaut.context.exceptions.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpsEnrollmentTest {

    private static final String PASSWORD = "https-test-pw";
    private static final String SECRET = "device-secret-hhhhhhhhhhhhhhhhhhhhhhhhhhhh";

    @TempDir
    static Path dir;
    static Path keystore;
    static int httpPort;
    static int httpsPort;
    static FleetTestServer server;
    static HttpClient trusting;

    @BeforeAll
    static void start() throws Exception {
        keystore = dir.resolve("api.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "api", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD,
                "-keypass", PASSWORD, "-ext", "san=ip:127.0.0.1,dns:localhost").inheritIO().start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).isZero();
        httpPort = freePort();
        httpsPort = freePort();
        server = FleetTestServer.start(dir.resolve("data"), Map.of("micronaut.server.port", httpPort,
                "fleetlet.http.tls.keystore", keystore.toString(), "fleetlet.http.tls.password", PASSWORD,
                "fleetlet.http.tls.port", httpsPort));
        trusting = HttpClient.newBuilder().sslContext(trustingOnly(keystore)).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void answersHealthOverHttpsToAClientTrustingOnlyTheConfiguredCertificate() throws Exception {
        // when
        HttpResponse<String> r = trusting.send(request("/health").GET().build(), HttpResponse.BodyHandlers.ofString());
        // then
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.uri().getScheme()).isEqualTo("https");
    }

    @Test
    void enrollsADeviceOverHttpsWithAProvisioningToken() throws Exception {
        // given a provisioning token created over HTTPS
        HttpResponse<String> created = trusting.send(request("/api/v1/provisioning-tokens")
                .header("Authorization", admin()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"fleet\":\"tls-lab\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String token = json(created).get("token").asText();
        // when a board enrolls over HTTPS
        HttpResponse<String> r = trusting.send(request("/api/v1/enroll").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(enrollment(token, "SER-HTTPS-1", SECRET))).build(),
                HttpResponse.BodyHandlers.ofString());
        // then it is accepted and gets an id and the broker URI
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("status").asText()).isEqualTo("accepted");
        assertThat(body.get("deviceId").asText()).isNotBlank();
        assertThat(body.get("mqttUri").asText()).isEqualTo("tcp://fleet.test:1883");
    }

    @Test
    void refusesTheHandshakeOfAClientThatDoesNotTrustTheCertificate() {
        // given a client with the JDK's default trust store only
        HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        // when / then
        assertThatThrownBy(() -> untrusting.send(request("/health").GET().build(), HttpResponse.BodyHandlers.ofString()))
                .satisfies(e -> assertThat(causes(e, SSLHandshakeException.class)).as(e.toString()).isTrue());
    }

    @Test
    void servesNoPlainHttpWhileHttpsIsOn() {
        // given the documented default (micronaut.server.dual-protocol unset)
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        // when / then the plain HTTP port is closed
        assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString()))
                .satisfies(e -> assertThat(causes(e, ConnectException.class)).as(e.toString()).isTrue());
    }

    @Test
    void keepsPlainHttpBesideHttpsWhenDualProtocolIsOn() throws Exception {
        // given a second server with the same keystore and micronaut.server.dual-protocol: true
        int plainPort = freePort();
        int tlsPort = freePort();
        try (FleetTestServer dual = FleetTestServer.start(dir.resolve("data-dual"), Map.of(
                "micronaut.server.port", plainPort, "micronaut.server.dual-protocol", true,
                "fleetlet.http.tls.keystore", keystore.toString(), "fleetlet.http.tls.password", PASSWORD,
                "fleetlet.http.tls.port", tlsPort))) {
            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            // when /health is asked on both ports
            HttpResponse<String> overHttp = plain.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + plainPort + "/health")).GET().build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> overHttps = trusting.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + tlsPort + "/health")).GET().build(), HttpResponse.BodyHandlers.ofString());
            // then both answer
            assertThat(overHttp.statusCode()).isEqualTo(200);
            assertThat(overHttps.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void refusesToStartWithAMissingKeystoreNamingTheKey() {
        // given a keystore path that does not exist
        Map<String, Object> props = Map.of("fleetlet.http.tls.keystore", dir.resolve("missing.p12").toString(),
                "fleetlet.http.tls.password", PASSWORD, "fleetlet.http.tls.port", 0);
        // when / then
        assertThatThrownBy(() -> FleetTestServer.start(dir.resolve("data-missing"), props).close())
                .satisfies(e -> assertThat(causes(e, ConfigurationException.class)).as(e.toString()).isTrue())
                .satisfies(e -> assertThat(messages(e)).contains("fleetlet.http.tls.keystore"));
    }

    @Test
    void refusesToStartWithAKeystoreButNoPasswordNamingTheKey() {
        Map<String, Object> props = Map.of("fleetlet.http.tls.keystore", keystore.toString(), "fleetlet.http.tls.port", 0);
        assertThatThrownBy(() -> FleetTestServer.start(dir.resolve("data-nopw"), props).close())
                .satisfies(e -> assertThat(messages(e)).contains("fleetlet.http.tls.password"));
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("https://localhost:" + httpsPort + path)).timeout(Duration.ofSeconds(20));
    }

    private static SSLContext trustingOnly(Path keystore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("fleetlet-api", ks.getCertificate("api"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    private static boolean causes(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
