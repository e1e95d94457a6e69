package dev.fleetlet.server.broker;

import static dev.fleetlet.server.support.FleetTestServer.admin;
import static dev.fleetlet.server.support.FleetTestServer.enrollment;
import static dev.fleetlet.server.support.FleetTestServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetlet.protocol.Topics;
import dev.fleetlet.server.enrollment.ca.TestPki;
import dev.fleetlet.server.support.FleetTestServer;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker's TLS listener with client authentication: devices enrolled with a CSR connect with
 * their fleet-signed certificate (no password), under the same ACL; everything else is refused.
 */
class ClientCertificateIT {

    private static final String SECRET = "device-secret-iiiiiiiiiiiiiiiiiiiiiiiiiiii";

    @TempDir
    Path dir;

    private X509Certificate serverCert;

    /** A fleet server with the broker on, a TLS listener (self-signed server certificate) with client-auth. */
    private FleetTestServer start(Path dataDir, String clientAuth, int port, int tlsPort) throws Exception {
        KeyPair serverKey = TestPki.ecKey();
        serverCert = TestPki.selfSigned(serverKey, "localhost");
        Path keystore = dataDir.resolve("mqtt.p12");
        Files.createDirectories(dataDir);
        try (OutputStream out = Files.newOutputStream(keystore)) {
            TestPki.keyStore(serverKey.getPrivate(), List.of(serverCert), "ks-pw".toCharArray()).store(out, "ks-pw".toCharArray());
        }
        Map<String, Object> props = new HashMap<>();
        props.put("fleetlet.mqtt.enabled", "true");
        props.put("fleetlet.mqtt.host", "127.0.0.1");
        props.put("fleetlet.mqtt.port", port);
        props.put("fleetlet.mqtt.tls.port", tlsPort);
        props.put("fleetlet.mqtt.tls.keystore", keystore.toString());
        props.put("fleetlet.mqtt.tls.password", "ks-pw");
        props.put("fleetlet.mqtt.tls.client-auth", clientAuth);
        props.put("fleetlet.mqtt.persistence", "in-memory");
        props.put("fleetlet.telemetry.flush-interval", "20ms");
        return FleetTestServer.start(dataDir, props);
    }

    private record Enrolled(String deviceId, KeyPair key, List<X509Certificate> chain) {
    }

    @SuppressWarnings("unchecked")
    private static Enrolled enrollWithCsr(FleetTestServer server, String token, String serial) throws Exception {
        KeyPair key = TestPki.ecKey();
        Map<String, Object> body = FleetTestServer.JSON.readValue(enrollment(token, serial, SECRET), Map.class);
        body.put("csr", TestPki.csr(key, "CN=" + serial));
        HttpResponse<String> r = server.post("/api/v1/enroll", null, FleetTestServer.toJson(body));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> pems = new ArrayList<>();
        json(r).get("certificateChain").forEach(n -> pems.add(n.asText()));
        return new Enrolled(json(r).get("deviceId").asText(), key, TestPki.certificates(pems));
    }

    private MqttAsyncClient tlsConnect(int tlsPort, String clientId, SSLContext ssl, String user, String password)
            throws MqttException {
        MqttConnectionOptions options = TestServer.options(user, password);
        options.setSocketFactory(ssl.getSocketFactory());
        options.setHttpsHostnameVerificationEnabled(false);
        MqttAsyncClient client = new MqttAsyncClient("ssl://127.0.0.1:" + tlsPort, clientId, new MemoryPersistence());
        try {
            client.connect(options).waitForCompletion(15_000);
        } catch (MqttException e) {
            closeQuietly(client);
            throw e;
        }
        return client;
    }

    private static void closeQuietly(MqttAsyncClient client) {
        try {
            client.close(true);
        } catch (MqttException e) {
            // already closed
        }
    }

    @Test
    void optionalModeAcceptsFleetCertificatesForTheirOwnIdOnlyAndKeepsPasswords() throws Exception {
        int port = TestServer.freePort();
        int tlsPort = TestServer.freePort();
        try (FleetTestServer server = start(dir.resolve("optional"), "optional", port, tlsPort)) {
            String token = server.createToken("lab", null);
            Enrolled a = enrollWithCsr(server, token, "SER-MTLS-A");
            Enrolled b = enrollWithCsr(server, token, "SER-MTLS-B");
            SSLContext aTls = TestPki.clientContext(a.key().getPrivate(), a.chain(), serverCert);

            // when device A connects with its certificate and no password
            MqttAsyncClient client = tlsConnect(tlsPort, a.deviceId(), aTls, null, null);
            try {
                // then it publishes under its own prefix, which is stored, and not under B's
                assertThat(Mqtt.publish(client, Topics.telemetry(a.deviceId()),
                        Mqtt.encode(Mqtt.batch(a.deviceId(), "mtls", 1, 2, Instant.now())))).isLessThan(0x80);
                assertThat(Mqtt.publish(client, Topics.telemetry(b.deviceId()),
                        Mqtt.encode(Mqtt.batch(b.deviceId(), "mtls", 1, 2, Instant.now())))).isGreaterThanOrEqualTo(0x80);
            } finally {
                Mqtt.closeQuietly(client);
            }

            // then A's certificate cannot connect as B, with or without B's user name
            assertThatThrownBy(() -> tlsConnect(tlsPort, b.deviceId(), aTls, null, null)).isInstanceOf(MqttException.class);
            assertThatThrownBy(() -> tlsConnect(tlsPort, b.deviceId(), aTls, b.deviceId(), SECRET))
                    .isInstanceOf(MqttException.class);

            // and a self-signed certificate naming A is refused
            KeyPair rogue = TestPki.ecKey();
            SSLContext rogueTls = TestPki.clientContext(rogue.getPrivate(),
                    List.of(TestPki.selfSigned(rogue, a.deviceId())), serverCert);
            assertThatThrownBy(() -> tlsConnect(tlsPort, a.deviceId(), rogueTls, null, null)).isInstanceOf(MqttException.class);

            // and the password path still works, over TLS without a certificate and on the plain port
            SSLContext noCert = TestPki.clientContext(null, null, serverCert);
            Mqtt.closeQuietly(tlsConnect(tlsPort, b.deviceId(), noCert, b.deviceId(), SECRET));
            Mqtt.closeQuietly(Mqtt.connect("tcp://127.0.0.1:" + port, b.deviceId(), b.deviceId(), SECRET));

            // when A is decommissioned, its certificate is refused
            assertThat(server.post("/api/v1/devices/" + a.deviceId() + "/decommission", admin(), null).statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> tlsConnect(tlsPort, a.deviceId(), aTls, null, null)).isInstanceOf(MqttException.class);
        }
    }

    @Test
    void requiredModeRefusesPasswordOnlyDevices() throws Exception {
        int port = TestServer.freePort();
        int tlsPort = TestServer.freePort();
        try (FleetTestServer server = start(dir.resolve("required"), "required", port, tlsPort)) {
            String token = server.createToken("lab", null);
            Enrolled a = enrollWithCsr(server, token, "SER-MTLS-R");
            // a device with a certificate connects
            Mqtt.closeQuietly(tlsConnect(tlsPort, a.deviceId(),
                    TestPki.clientContext(a.key().getPrivate(), a.chain(), serverCert), null, null));
            // the same device with its (correct) password only is refused on the plain port
            assertThatThrownBy(() -> Mqtt.connect("tcp://127.0.0.1:" + port, a.deviceId(), a.deviceId(), SECRET))
                    .isInstanceOf(MqttException.class);
        }
    }
}
