package dev.fleetlet.server.enrollment.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetCaTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void generatesTheCaOnceWithAnOwnerOnlyKeyAndLoadsItAfterwards() throws Exception {
        // when the CA is asked for twice in the same directory
        FleetCa first = FleetCa.loadOrCreate(dir.resolve("ca"), clock);
        FleetCa second = FleetCa.loadOrCreate(dir.resolve("ca"), clock);

        // then the second is the stored first one, its key readable by the owner only, and it is a CA
        assertThat(second.certificate()).isEqualTo(first.certificate());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca/ca.key")))).isEqualTo("rw-------");
        assertThat(first.certificate().getBasicConstraints()).isZero();
        first.certificate().verify(first.certificate().getPublicKey());
    }

    @Test
    void issuesACertificateNamedAfterTheDeviceWhateverTheRequestedSubject() throws Exception {
        // given a CA and a device key whose request asks for another name
        FleetCa ca = FleetCa.loadOrCreate(dir, clock);
        KeyPair device = ecKey();
        String csr = csr(device, "CN=anything-the-device-likes");

        // when it is signed for dev-abc123 with a one-year validity, twice
        FleetCa.Issued issued = ca.sign(csr, "dev-abc123", Duration.ofDays(365));
        FleetCa.Issued again = ca.sign(csr, "dev-abc123", Duration.ofDays(365));

        // then the certificate is the device's key, named after the device, signed by the CA, for client auth
        X509Certificate cert = issued.certificate();
        assertThat(cert.getSubjectX500Principal()).isEqualTo(new X500Principal("CN=dev-abc123"));
        assertThat(cert.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
        assertThat(cert.getPublicKey()).isEqualTo(device.getPublic());
        cert.verify(ca.certificate().getPublicKey());
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        // and the serial is random and recorded with the expiry; the chain ends with the CA
        assertThat(issued.serial()).isPositive().isNotEqualTo(again.serial()).isEqualTo(cert.getSerialNumber());
        assertThat(issued.notAfter()).isEqualTo(NOW.plus(Duration.ofDays(365)));
        assertThat(cert.getNotAfter().toInstant()).isEqualTo(issued.notAfter());
        assertThat(issued.chainPem()).hasSize(2);
        assertThat(issued.chainPem().get(1)).isEqualTo(ca.certificatePem());
    }

    @Test
    void refusesARequestWhoseSignatureDoesNotVerifyOrThatIsNotARequest() throws Exception {
        FleetCa ca = FleetCa.loadOrCreate(dir, clock);
        // given a request whose signed content was altered (the subject bytes changed after signing)
        String good = csr(ecKey(), "CN=aaaaaaaa");
        byte[] der = Base64.getMimeDecoder().decode(good.replaceAll("-----[A-Z ]+-----", ""));
        byte[] tampered = new String(der, java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace("aaaaaaaa", "bbbbbbbb").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        String bad = "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder().encodeToString(tampered)
                + "\n-----END CERTIFICATE REQUEST-----\n";

        // then it is refused naming the field, as are garbage and a certificate in place of a request
        assertThatThrownBy(() -> ca.sign(bad, "dev-x", Duration.ofDays(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("csr: signature does not verify");
        assertThatThrownBy(() -> ca.sign("hello", "dev-x", Duration.ofDays(1))).hasMessageStartingWith("csr:");
        assertThatThrownBy(() -> ca.sign(ca.certificatePem(), "dev-x", Duration.ofDays(1))).hasMessageStartingWith("csr:");
        assertThatThrownBy(() -> ca.sign(null, "dev-x", Duration.ofDays(1))).hasMessage("csr: missing");
    }

    @Test
    void refusesAnRsaKeyOf1024BitsButAcceptsRsa2048AndEcP256() {
        FleetCa ca = FleetCa.loadOrCreate(dir, clock);
        // given requests for a weak RSA key, a 2048-bit RSA key and an EC P-256 key
        String weak = TestPki.csr(TestPki.rsaKey(1024), "CN=x");
        // then the weak one is refused naming the field and the size, the others are signed
        assertThatThrownBy(() -> FleetCa.check(weak)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("csr: RSA key of 1024 bits too weak");
        assertThatThrownBy(() -> ca.sign(weak, "dev-x", Duration.ofDays(1))).hasMessageStartingWith("csr: RSA key of 1024");
        assertThat(ca.sign(TestPki.csr(TestPki.rsaKey(2048), "CN=x"), "dev-x", Duration.ofDays(1)).certificate()
                .getPublicKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(ca.sign(TestPki.csr(TestPki.ecKey(), "CN=x"), "dev-x", Duration.ofDays(1)).certificate()
                .getPublicKey().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void loadsAnOperatorsCaFromPemFilesAndRejectsAFileWithoutACertificate() throws Exception {
        // given CA files made elsewhere (here: by another instance)
        FleetCa made = FleetCa.loadOrCreate(dir.resolve("made"), clock);

        // when loaded from the PEM files, then it signs as that CA
        FleetCa loaded = FleetCa.fromPem(dir.resolve("made/ca.crt"), dir.resolve("made/ca.key"), clock);
        loaded.sign(csr(ecKey(), "CN=x"), "dev-y", Duration.ofDays(1)).certificate().verify(made.certificate().getPublicKey());
        assertThatThrownBy(() -> FleetCa.fromPem(dir.resolve("made/ca.key"), dir.resolve("made/ca.key"), clock))
                .hasMessageContaining("holds no PEM certificate");
    }

    private static KeyPair ecKey() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        return gen.generateKeyPair();
    }

    private static String csr(KeyPair key, String subject) throws Exception {
        PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), key.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
        java.io.StringWriter out = new java.io.StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(request);
        }
        return out.toString();
    }
}
