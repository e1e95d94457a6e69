package dev.fleetlet.server.enrollment;

import static dev.fleetlet.server.support.FleetTestServer.admin;
import static dev.fleetlet.server.support.FleetTestServer.enrollment;
import static dev.fleetlet.server.support.FleetTestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetlet.server.broker.CertificateDirectory;
import dev.fleetlet.server.broker.ClientPrincipal;
import dev.fleetlet.server.db.Jdbc;
import dev.fleetlet.server.enrollment.ca.FleetCa;
import dev.fleetlet.server.enrollment.ca.TestPki;
import dev.fleetlet.server.support.FleetTestServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Enrollment with a CSR: the opt-in certificate credential, through the REST endpoint. */
class CertificateEnrollmentTest {

    private static final String SECRET = "device-secret-cccccccccccccccccccccccccccc";

    @TempDir
    static Path dataDir;
    static FleetTestServer server;

    @BeforeAll
    static void start() {
        server = FleetTestServer.start(dataDir, Map.of());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @SuppressWarnings("unchecked")
    private static HttpResponse<String> enroll(String token, String serial, String csr) {
        try {
            Map<String, Object> body = FleetTestServer.JSON.readValue(enrollment(token, serial, SECRET), Map.class);
            body.put("csr", csr);
            return server.post("/api/v1/enroll", null, FleetTestServer.toJson(body));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<X509Certificate> chain(HttpResponse<String> r) {
        List<String> pems = new ArrayList<>();
        json(r).get("certificateChain").forEach(n -> pems.add(n.asText()));
        return TestPki.certificates(pems);
    }

    private static Optional<ClientPrincipal> brokerCheck(String clientId, X509Certificate leaf) {
        return server.bean(CertificateDirectory.class).authenticate(clientId, new X509Certificate[] {leaf});
    }

    @Test
    void issuesACertificateForTheAssignedDeviceIdWhateverSubjectWasRequested() throws Exception {
        // given a token and a device key whose CSR asks for somebody else's name
        String token = server.createToken("lab", null);
        KeyPair key = TestPki.ecKey();
        // when the device enrolls with it
        HttpResponse<String> r = enroll(token, "SER-CERT-1", TestPki.csr(key, "CN=dev-admin,O=Evil"));
        // then the answer carries its certificate (CN = the assigned id, its own key) then the fleet CA
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String id = json(r).get("deviceId").asText();
        List<X509Certificate> chain = chain(r);
        assertThat(chain).hasSize(2);
        X509Certificate leaf = chain.get(0);
        assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=" + id);
        assertThat(leaf.getPublicKey()).isEqualTo(key.getPublic());
        leaf.verify(chain.get(1).getPublicKey());
        assertThat(chain.get(1)).isEqualTo(server.bean(FleetCa.class).certificate());
        // and the registry recorded serial, fingerprint and expiry; the broker accepts it for this id only
        Map<String, Object> row = server.bean(Jdbc.class).queryOne(
                "SELECT fingerprint_sha256, not_after FROM device_certificates WHERE serial = ? AND device_id = ?",
                rs -> Map.<String, Object>of("fp", rs.getString(1), "notAfter", Jdbc.instant(rs, "not_after")),
                leaf.getSerialNumber().toString(16), id).orElseThrow();
        assertThat(row.get("fp")).isEqualTo(FleetCa.fingerprint(leaf));
        assertThat(row.get("notAfter")).isEqualTo(leaf.getNotAfter().toInstant());
        assertThat(brokerCheck(id, leaf)).contains(new ClientPrincipal.Device(id));
        assertThat(brokerCheck("dev-someoneelse", leaf)).isEmpty();
        // and the CA key on disk is owner-only
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("ca/ca.key"))))
                .isEqualTo("rw-------");
    }

    @Test
    void reEnrollmentIssuesANewCertificateAndTheOldOneStopsWorking() {
        // given an enrolled device with a certificate
        String token = server.createToken("lab", null);
        HttpResponse<String> first = enroll(token, "SER-CERT-2", TestPki.csr(TestPki.ecKey(), "CN=x"));
        String id = json(first).get("deviceId").asText();
        X509Certificate old = chain(first).get(0);
        // when it enrolls again (same serial) with a new key
        HttpResponse<String> again = enroll(token, "SER-CERT-2", TestPki.csr(TestPki.ecKey(), "CN=x"));
        // then it keeps its id, gets a new certificate, and only the new one is accepted
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(json(again).get("deviceId").asText()).isEqualTo(id);
        X509Certificate renewed = chain(again).get(0);
        assertThat(renewed.getSerialNumber()).isNotEqualTo(old.getSerialNumber());
        assertThat(brokerCheck(id, renewed)).isPresent();
        assertThat(brokerCheck(id, old)).isEmpty();
    }

    @Test
    void decommissioningRevokesTheDevicesCertificates() {
        // given an enrolled device with a certificate
        String token = server.createToken("lab", null);
        HttpResponse<String> r = enroll(token, "SER-CERT-3", TestPki.csr(TestPki.ecKey(), "CN=x"));
        String id = json(r).get("deviceId").asText();
        X509Certificate leaf = chain(r).get(0);
        assertThat(brokerCheck(id, leaf)).isPresent();
        // when an operator decommissions it
        assertThat(server.post("/api/v1/devices/" + id + "/decommission", admin(), null).statusCode()).isEqualTo(200);
        // then the certificate is revoked and refused
        assertThat(brokerCheck(id, leaf)).isEmpty();
        assertThat(server.bean(Jdbc.class).queryOne("SELECT revoke_reason FROM device_certificates WHERE serial = ?",
                rs -> rs.getString(1), leaf.getSerialNumber().toString(16))).contains("decommissioned");
    }

    @Test
    void aPasswordOnlyEnrollmentGetsNoCertificate() {
        // given a token, when a device enrolls without a CSR
        HttpResponse<String> r = server.post("/api/v1/enroll", null, enrollment(server.createToken("lab", null), "SER-CERT-4", SECRET));
        // then it is accepted as before, with no chain
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).has("certificateChain")).isFalse();
    }

    @Test
    void badRequestsAre400ProblemsNamingTheCsrAndEnrollNothing() {
        String token = server.createToken("lab", null);
        String good = TestPki.csr(TestPki.ecKey(), "CN=x");
        String corrupted = good.substring(0, 80) + "!!!!" + good.substring(84);
        // given: not PEM at all; PEM markers around garbage; a weak RSA key; a signature over other content
        byte[] der = java.util.Base64.getMimeDecoder().decode(good.replaceAll("-----[A-Z ]+-----", ""));
        der[der.length - 80] ^= 0x01; // inside the subject public key: the signature no longer matches
        String badSignature = "-----BEGIN CERTIFICATE REQUEST-----\n" + java.util.Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END CERTIFICATE REQUEST-----\n";
        for (String csr : List.of("garbage", corrupted, TestPki.csr(TestPki.rsaKey(1024), "CN=x"), badSignature)) {
            // when a device enrolls with it
            HttpResponse<String> r = enroll(token, "SER-CERT-BAD", csr);
            // then it is a problem naming the csr field, and no device was created
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("problem+json"));
            JsonNode problem = json(r);
            assertThat(problem.toString()).contains("\"csr\"");
            assertThat(server.bean(Jdbc.class).queryOne("SELECT id FROM devices WHERE serial = 'SER-CERT-BAD'",
                    rs -> rs.getString(1))).isEmpty();
        }
    }
}
