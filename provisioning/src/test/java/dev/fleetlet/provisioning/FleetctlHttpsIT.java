package dev.fleetlet.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.provisioning.image.ImageFixture;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fleetctl against the real fleet server serving HTTPS with a certificate from the operator's own CA. */
class FleetctlHttpsIT {

    static final String PASSWORD = "https-it-admin-password";
    static EmbeddedServer server;
    static String url;
    static Path caPem;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startServer() throws IOException {
        // a self-signed certificate for 127.0.0.1 that is its own CA, in a PKCS#12 keystore
        Path key = dir.resolve("server.key");
        caPem = dir.resolve("server.pem");
        ImageFixture.run(dir, null, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key.toString(), "-out", caPem.toString(), "-days", "2", "-subj", "/CN=fleet-https-it",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-addext", "basicConstraints=critical,CA:TRUE");
        Path p12 = dir.resolve("server.p12");
        ImageFixture.run(dir, null, "openssl", "pkcs12", "-export", "-in", caPem.toString(), "-inkey", key.toString(),
                "-name", "api", "-out", p12.toString(), "-passout", "pass:store-password");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, Object> props = new HashMap<>();
        props.put("fleetlet.data-dir", dir.resolve("server").toString());
        props.put("micronaut.server.port", -1);
        props.put("fleetlet.http.tls.keystore", p12.toString());
        props.put("fleetlet.http.tls.password", "store-password");
        props.put("fleetlet.http.tls.port", port);
        props.put("fleetlet.mqtt.enabled", "false");
        props.put("fleetlet.mqtt.public-uri", "tcp://fleet.test:1883");
        props.put("fleetlet.security.pbkdf2-iterations", 1000);
        props.put("fleetlet.admin.initial-password", PASSWORD);
        server = ApplicationContext.run(EmbeddedServer.class, props);
        url = "https://127.0.0.1:" + server.getPort();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void withoutTheCaTheHandshakeFailsWithAHintAndWithItEverythingWorks() throws IOException {
        Path config = dir.resolve("fleetctl.json");
        // when logging in without the CA
        CliRun untrusted = CliRun.run(config, PASSWORD + "\n", "login", "--server", url, "--user", "admin", "--password-stdin");
        // then
        assertThat(untrusted.exit()).as(untrusted.toString()).isEqualTo(3);
        assertThat(untrusted.err()).contains("TLS handshake with the fleet server at " + url + " failed", "--ca-cert");
        // when with the CA
        CliRun login = CliRun.run(config, PASSWORD + "\n", "login", "--server", url, "--user", "admin", "--password-stdin",
                "--ca-cert", caPem.toString());
        assertThat(login.exit()).as(login.toString()).isZero();
        assertThat(Files.readString(config)).contains("BEGIN CERTIFICATE");
        CliRun created = CliRun.run(config, "", "token", "create", "--fleet", "tls-lab");
        Matcher m = FleetctlServerIT.CREATED.matcher(created.out());
        assertThat(m.find()).as(created.toString()).isTrue();
        // then the token check at injection goes over HTTPS with the stored CA, and the CA lands on the image
        Path image = ImageFixture.piImage(dir);
        CliRun inject = CliRun.run(config, "", "image", "inject", image.toString(), "--server", url, "--token", m.group(1),
                "--ca-cert", caPem.toString());
        assertThat(inject.exit()).as(inject.toString()).isZero();
        assertThat(inject.out()).contains("is active: fleet tls-lab");
        assertThat(inject.err()).doesNotContain("warning");
        CliRun show = CliRun.run(config, "", "image", "show", image.toString());
        assertThat(show.out()).contains("serverUrl: " + url, "caCertificate: CN=fleet-https-it");
    }
}
