package dev.fleetlet.agent.enroll;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.fleetlet.agent.backoff.Backoff;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.protocol.message.HardwareFacts;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.X509KeyManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceKeyTest {

    private static final HardwareFacts FACTS = new HardwareFacts("10000000a1b2c3d4", "Raspberry Pi 4 Model B Rev 1.4",
            "arm64", "v8", 3796, "6.6.31", "Debian GNU/Linux 12 (bookworm)", "0.1.0", List.of());

    @TempDir
    Path dataDir;

    @Test
    void generatesAnOwnerOnlyP256KeyOnceAndSignsRequestsWithIt() throws Exception {
        // given a device without a key
        DeviceKey key = new DeviceKey(dataDir);
        // when it builds a request, and again after a "reboot"
        JcaPKCS10CertificationRequest first = parse(key.csr("SER-1"));
        JcaPKCS10CertificationRequest again = parse(new DeviceKey(dataDir).csr("SER-1"));
        // then the key file is 0600 PKCS#8, the request verifies and carries an EC P-256 key, the same key both times
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key.keyFile()))).isEqualTo("rw-------");
        assertThat(Files.readString(key.keyFile())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(first.isSignatureValid(new JcaContentVerifierProviderBuilder().build(first.getPublicKey()))).isTrue();
        assertThat(((java.security.interfaces.ECPublicKey) first.getPublicKey()).getParams().getCurve().getField()
                .getFieldSize()).isEqualTo(256);
        assertThat(again.getPublicKey()).isEqualTo(first.getPublicKey());
        // and the private key is not in the request
        assertThat(key.csr("SER-1")).doesNotContain(Files.readString(key.keyFile()).lines().skip(1).findFirst().orElseThrow());
    }

    @Test
    void enrollsWithACsrAndStoresTheChainOwnerOnlyForTls() throws Exception {
        // given a fake server that signs the CSR it receives with a test CA
        KeyPair caKey = ecKey();
        X509Certificate ca = certificate(new X500Name("CN=test CA"), caKey.getPublic(), caKey, new X500Name("CN=test CA"));
        ProtocolCodec codec = new ProtocolCodec();
        List<String> csrs = new ArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/enroll", exchange -> {
            try {
                String csr = codec.mapper().readTree(exchange.getRequestBody().readAllBytes()).get("csr").asText();
                csrs.add(csr);
                X509Certificate leaf = certificate(new X500Name("CN=pi-kitchen-01"), parse(csr).getPublicKey(), caKey,
                        new X500Name("CN=test CA"));
                ObjectNode answer = codec.mapper().createObjectNode().put("status", "accepted").put("deviceId", "pi-kitchen-01")
                        .put("mqttUri", "ssl://fleet.example:8883").put("serverTime", "2026-01-01T00:00:00Z");
                answer.putArray("certificateChain").add(pem(leaf)).add(pem(ca));
                byte[] body = codec.mapper().writeValueAsBytes(answer);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } catch (Exception e) {
                exchange.sendResponseHeaders(500, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
        try {
            DeviceKey key = new DeviceKey(dataDir);
            EnrollmentClient client = new EnrollmentClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                    Optional.empty(), Duration.ofSeconds(5), codec);
            Enroller enroller = new Enroller(new CredentialStore(dataDir, new SecureRandom()), client, "fpt_3J8kQ2vX9mN4pL7wR1tY6uZ0",
                    FACTS, new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), bound -> bound), Enroller.REFUSED_RETRY,
                    d -> { }, key);
            // when the device enrolls
            DeviceCredentials creds = enroller.credentials();
            // then it sent one CSR, stored the chain owner-only, and its key managers present that chain
            assertThat(creds.deviceId()).isEqualTo("pi-kitchen-01");
            assertThat(csrs).hasSize(1);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key.chainFile()))).isEqualTo("rw-------");
            assertThat(key.chain().orElseThrow()).hasSize(2);
            X509KeyManager km = (X509KeyManager) key.keyManagers()[0];
            String alias = km.chooseClientAlias(new String[] {"EC"}, null, null);
            assertThat(km.getCertificateChain(alias)[0].getSubjectX500Principal().getName()).isEqualTo("CN=pi-kitchen-01");
            assertThat(km.getPrivateKey(alias).getAlgorithm()).isEqualTo("EC");
            // and a later start uses the stored credentials without asking again
            new Enroller(new CredentialStore(dataDir, new SecureRandom()), client, "fpt_3J8kQ2vX9mN4pL7wR1tY6uZ0", FACTS,
                    new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), bound -> bound), Enroller.REFUSED_RETRY,
                    d -> { }, key).credentials();
            assertThat(csrs).hasSize(1);
        } finally {
            server.stop(0);
        }
    }

    private static KeyPair ecKey() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        return gen.generateKeyPair();
    }

    private static X509Certificate certificate(X500Name subject, java.security.PublicKey key, KeyPair issuerKey,
                                               X500Name issuer) throws Exception {
        Instant now = Instant.now();
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(issuer,
                BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(60)), Date.from(now.plusSeconds(86_400)),
                subject, key).build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate())));
    }

    private static JcaPKCS10CertificationRequest parse(String pem) throws Exception {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            return new JcaPKCS10CertificationRequest((PKCS10CertificationRequest) parser.readObject());
        }
    }

    private static String pem(Object o) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        }
        return out.toString();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
