package dev.fleetlet.server.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.protocol.Topics;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerTlsTest {

    @TempDir
    Path dataDir;

    @Test
    void servesMqttOverTlsWhenAKeystoreIsConfigured() throws Exception {
        // given a PKCS#12 keystore made with the JDK's keytool
        Path keystore = dataDir.resolve("mqtt.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "mqtt", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "tls-test-pw",
                "-keypass", "tls-test-pw", "-ext", "san=ip:127.0.0.1,dns:localhost").inheritIO().start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).isZero();
        int tlsPort = TestServer.freePort();
        try (TestServer server = TestServer.start(dataDir, Map.of("fleetlet.mqtt.tls.keystore", keystore.toString(),
                "fleetlet.mqtt.tls.password", "tls-test-pw", "fleetlet.mqtt.tls.port", tlsPort))) {
            server.directory().addDevice("dev-tls", "pw-tls");
            // when a device connects over TLS trusting that certificate
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                ks.load(in, "tls-test-pw".toCharArray());
            }
            Certificate cert = ks.getCertificate("mqtt");
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("fleetlet", cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            MqttConnectionOptions options = TestServer.options("dev-tls", "pw-tls");
            options.setSocketFactory(ssl.getSocketFactory());
            MqttAsyncClient client = new MqttAsyncClient("ssl://127.0.0.1:" + tlsPort, "dev-tls", new MemoryPersistence());
            client.connect(options).waitForCompletion(15_000);
            try {
                // then it can publish telemetry there, and the config on disk is owner-only
                assertThat(Mqtt.publish(client, Topics.telemetry("dev-tls"),
                        Mqtt.encode(Mqtt.batch("dev-tls", "tls-stream", 1, 1, Instant.now())))).isLessThan(0x80);
                assertThat(Db.count(server.context, "SELECT COUNT(*) FROM telemetry_batch WHERE device_id = 'dev-tls'"))
                        .isEqualTo(1);
                assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(dataDir.resolve("broker/conf/config.xml")))).isEqualTo("rw-------");
            } finally {
                Mqtt.closeQuietly(client);
            }
        }
    }
}
