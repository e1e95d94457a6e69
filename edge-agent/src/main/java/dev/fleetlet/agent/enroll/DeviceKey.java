package dev.fleetlet.agent.enroll;

import dev.fleetlet.agent.fs.AtomicFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device's own key for the opt-in certificate credential ({@code enrollment.credential: certificate}),
 * under {@code <dataDir>/identity/}, every file mode 0600 and written atomically:
 * <ul>
 *   <li>{@code device-key.pem}: an EC P-256 private key (PKCS#8 PEM) generated on the device the first time
 *       it is needed and reused afterwards; it never leaves the device, only its public half goes out in the
 *       PKCS#10 request ({@link #csr});</li>
 *   <li>{@code client-chain.pem}: the certificate chain the server answered (device certificate first, then the
 *       fleet CA), stored after an accepted enrollment.</li>
 * </ul>
 * The MQTT connection then presents key and chain in the TLS handshake ({@link #keyManagers}). An unreadable
 * key file fails loudly naming the file (it is never silently replaced: a new key needs a new enrollment).
 */
public final class DeviceKey {

    private static final Logger log = LoggerFactory.getLogger(DeviceKey.class);

    private final Path keyFile;
    private final Path chainFile;

    public DeviceKey(Path dataDir) {
        Path dir = dataDir.resolve("identity");
        this.keyFile = dir.resolve("device-key.pem");
        this.chainFile = dir.resolve("client-chain.pem");
    }

    /** The key file ({@code identity/device-key.pem}). */
    public Path keyFile() {
        return keyFile;
    }

    /** The stored chain file ({@code identity/client-chain.pem}). */
    public Path chainFile() {
        return chainFile;
    }

    /**
     * A PEM PKCS#10 request for this device's key (generated and stored first when there is none). The
     * subject is a placeholder: the server names the certificate after the device id it assigns.
     */
    public String csr(String serial) {
        KeyPair pair = keyPair();
        try {
            X500Name subject = new org.bouncycastle.asn1.x500.X500NameBuilder(org.bouncycastle.asn1.x500.style.BCStyle.INSTANCE)
                    .addRDN(org.bouncycastle.asn1.x500.style.BCStyle.CN, "fleetlet-device " + serial).build();
            PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(subject, pair.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
            log.debug("csr built serial={}", serial);
            return pem(request);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign the certificate request: " + e.getMessage(), e);
        }
    }

    /** Stores the chain an accepted enrollment answered (mode 0600, atomically). */
    public void saveChain(List<String> chainPem) {
        if (chainPem == null || chainPem.isEmpty()) {
            throw new IllegalArgumentException("certificateChain: the server answered no certificate");
        }
        certificates(String.join("", chainPem)); // refuse to store something unusable
        try {
            AtomicFiles.write(chainFile, String.join("", chainPem).getBytes(StandardCharsets.US_ASCII), AtomicFiles.OWNER_ONLY);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the client certificate chain in " + chainFile, e);
        }
    }

    /** The stored chain, when there is one. */
    public Optional<List<X509Certificate>> chain() {
        try {
            return Optional.of(certificates(Files.readString(chainFile, StandardCharsets.US_ASCII)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            log.error("stored client certificate chain unreadable, enrolling again path={} error={}", chainFile, e.toString());
            return Optional.empty();
        }
    }

    /**
     * Key managers presenting the stored key and chain in TLS handshakes.
     *
     * @throws IllegalStateException when no chain is stored yet
     */
    public KeyManager[] keyManagers() {
        List<X509Certificate> chain = chain().orElseThrow(() -> new IllegalStateException(
                "no client certificate stored in " + chainFile + ": enroll first"));
        try {
            char[] password = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("device", keyPair().getPrivate(), password, chain.toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, password);
            return kmf.getKeyManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot use the device key and certificate: " + e.getMessage(), e);
        }
    }

    private KeyPair keyPair() {
        try {
            PemObject pem;
            try (PemReader reader = new PemReader(new StringReader(Files.readString(keyFile, StandardCharsets.US_ASCII)))) {
                pem = reader.readPemObject();
            }
            if (pem == null || !pem.getType().equals("PRIVATE KEY")) {
                throw new IllegalStateException("device key " + keyFile + " holds no PKCS#8 private key");
            }
            KeyFactory kf = KeyFactory.getInstance("EC");
            PrivateKey key = kf.generatePrivate(new PKCS8EncodedKeySpec(pem.getContent()));
            return new KeyPair(publicOf(key), key);
        } catch (NoSuchFileException e) {
            return generate();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("device key " + keyFile + " unreadable: " + e.getMessage(), e);
        }
    }

    private KeyPair generate() {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = gen.generateKeyPair();
            String pem = pem(new PemObject("PRIVATE KEY", pair.getPrivate().getEncoded()));
            AtomicFiles.write(keyFile, pem.getBytes(StandardCharsets.US_ASCII), AtomicFiles.OWNER_ONLY);
            log.info("device key generated path={} type=EC-P256", keyFile);
            return pair;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an EC P-256 key: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the device key in " + keyFile, e);
        }
    }

    /** The public half of an EC P-256 private key: Q = d x G (the PKCS#8 encoding need not carry it). */
    private static java.security.PublicKey publicOf(PrivateKey key) throws GeneralSecurityException {
        if (!(key instanceof java.security.interfaces.ECPrivateKey ec)) {
            throw new java.security.spec.InvalidKeySpecException("not an EC key");
        }
        org.bouncycastle.jce.spec.ECNamedCurveParameterSpec curve =
                org.bouncycastle.jce.ECNamedCurveTable.getParameterSpec("secp256r1");
        org.bouncycastle.math.ec.ECPoint q = curve.getG().multiply(ec.getS()).normalize();
        java.security.spec.ECPoint w = new java.security.spec.ECPoint(q.getAffineXCoord().toBigInteger(),
                q.getAffineYCoord().toBigInteger());
        return KeyFactory.getInstance("EC").generatePublic(new java.security.spec.ECPublicKeySpec(w, ec.getParams()));
    }

    private static List<X509Certificate> certificates(String pem) {
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException("certificateChain: no certificate found");
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("certificateChain: not PEM certificates: " + e.getMessage(), e);
        }
    }

    private static String pem(Object o) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
