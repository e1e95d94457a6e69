package dev.fleetlet.server.enrollment.ca;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * The fleet's certificate authority: signs device client certificates from PKCS#10 requests.
 *
 * <p>{@link #loadOrCreate} keeps the CA in a directory (normally {@code <data-dir>/ca}): {@code ca.key}
 * (PKCS#8 PEM, EC P-256, owner read/write only) and {@code ca.crt} (self-signed PEM, 10 years, CA:true with
 * path length 0). On first start both are generated; afterwards they are loaded. {@link #fromPem} uses an
 * operator's own CA files instead. {@link #sign} checks the request's signature (proof that the device holds
 * the key), ignores the requested subject and issues a certificate whose CN is the device id, with a random
 * 159-bit serial, client-authentication key usage and the requested validity. A bad request is refused with
 * {@link IllegalArgumentException} whose message starts with {@code csr:}; I/O problems with the CA files
 * throw {@link UncheckedIOException} naming the file.
 */
public final class FleetCa {

    /** A certificate issued to a device, with what the registry records about it. */
    public record Issued(X509Certificate certificate, BigInteger serial, Instant notAfter, List<String> chainPem) {
    }

    private static final String SIGNATURE = "SHA256withECDSA";
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration BACKDATE = Duration.ofMinutes(5);

    private final X509Certificate certificate;
    private final PrivateKey key;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    private FleetCa(X509Certificate certificate, PrivateKey key, Clock clock) {
        this.certificate = certificate;
        this.key = key;
        this.clock = clock;
    }

    /** Loads the CA from {@code dir}, or generates and stores a new one when {@code dir} holds none. */
    public static FleetCa loadOrCreate(Path dir, Clock clock) {
        Path certFile = dir.resolve("ca.crt");
        Path keyFile = dir.resolve("ca.key");
        if (Files.exists(certFile) || Files.exists(keyFile)) {
            return fromPem(certFile, keyFile, clock);
        }
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = gen.generateKeyPair();
            Instant now = clock.instant();
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Fleetlet")
                    .addRDN(BCStyle.CN, "Fleetlet fleet CA " + UUID.randomUUID().toString().substring(0, 8)).build();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, new BigInteger(159, new SecureRandom()),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(CA_VALIDITY)), subject, pair.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate cert = convert(b.build(signer(pair.getPrivate())));
            Files.createDirectories(dir);
            writeOwnerOnly(keyFile, pem(new JcaPKCS8Generator(pair.getPrivate(), null)));
            writeOwnerOnly(certFile, pem(cert));
            return new FleetCa(cert, pair.getPrivate(), clock);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot generate the fleet CA: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the fleet CA under " + dir, e);
        }
    }

    /** Uses an existing CA: a PEM certificate and its PEM private key (PKCS#8 or traditional). */
    public static FleetCa fromPem(Path certFile, Path keyFile, Clock clock) {
        Object certObject = readPem(certFile);
        if (!(certObject instanceof X509CertificateHolder holder)) {
            throw new IllegalArgumentException("fleet CA certificate " + certFile + " holds no PEM certificate");
        }
        Object keyObject = readPem(keyFile);
        try {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            PrivateKey key;
            if (keyObject instanceof PrivateKeyInfo info) {
                key = converter.getPrivateKey(info);
            } else if (keyObject instanceof PEMKeyPair pair) {
                key = converter.getPrivateKey(pair.getPrivateKeyInfo());
            } else {
                throw new IllegalArgumentException("fleet CA key " + keyFile + " holds no PEM private key");
            }
            X509Certificate cert = convert(holder);
            if (!(cert.getPublicKey().getAlgorithm().equals(key.getAlgorithm()))) {
                throw new IllegalArgumentException("fleet CA key " + keyFile + " does not match " + certFile);
            }
            return new FleetCa(cert, key, clock);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("fleet CA files unreadable: " + e.getMessage(), e);
        }
    }

    /** The CA certificate (what brokers put in their trust store). */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The CA certificate as PEM. */
    public String certificatePem() {
        return pem(certificate);
    }

    /**
     * Issues a client certificate for {@code deviceId} from a PEM PKCS#10 request.
     *
     * @throws IllegalArgumentException ({@code csr: ...}) when the request is not PEM PKCS#10, its signature
     *                                  does not verify, or its key type is not supported
     */
    public Issued sign(String csrPem, String deviceId, Duration validity) {
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("certificate validity must be positive, was " + validity);
        }
        JcaPKCS10CertificationRequest csr = parseCsr(csrPem);
        try {
            PublicKey devicePublicKey = csr.getPublicKey();
            Instant now = clock.instant();
            Instant notAfter = now.plus(validity);
            BigInteger serial = new BigInteger(159, random);
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, deviceId).build();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate, serial, Date.from(now.minus(BACKDATE)),
                    Date.from(notAfter), subject, devicePublicKey);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(devicePublicKey));
            X509Certificate cert = convert(b.build(signer(key)));
            return new Issued(cert, serial, notAfter.truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                    List.of(pem(cert), pem(certificate)));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalArgumentException("csr: cannot issue a certificate for its key: " + e.getMessage(), e);
        }
    }

    /**
     * Checks a PEM PKCS#10 request without issuing anything: PEM, signature, and an accepted key (EC P-256 or
     * P-384, RSA of at least 2048 bits).
     *
     * @throws IllegalArgumentException ({@code csr: ...}) naming what is wrong
     */
    public static void check(String csrPem) {
        parseCsr(csrPem);
    }

    /** The SHA-256 fingerprint of a certificate's DER encoding, lower-case hex. */
    public static String fingerprint(X509Certificate certificate) {
        try {
            return java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static void checkKey(PublicKey key) {
        if (key instanceof java.security.interfaces.ECPublicKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            if (bits != 256 && bits != 384) {
                throw new IllegalArgumentException("csr: EC key on a " + bits + "-bit curve not accepted (use P-256 or P-384)");
            }
            return;
        }
        if (key instanceof java.security.interfaces.RSAPublicKey rsa) {
            int bits = rsa.getModulus().bitLength();
            if (bits < 2048) {
                throw new IllegalArgumentException("csr: RSA key of " + bits + " bits too weak (at least 2048; EC P-256 preferred)");
            }
            return;
        }
        throw new IllegalArgumentException("csr: key type " + key.getAlgorithm() + " not accepted (use EC P-256)");
    }

    private static JcaPKCS10CertificationRequest parseCsr(String csrPem) {
        if (csrPem == null || csrPem.isBlank()) {
            throw new IllegalArgumentException("csr: missing");
        }
        Object parsed;
        try (PEMParser parser = new PEMParser(new StringReader(csrPem))) {
            parsed = parser.readObject();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("csr: not a PEM certificate signing request", e);
        }
        if (!(parsed instanceof PKCS10CertificationRequest request)) {
            throw new IllegalArgumentException("csr: not a PEM certificate signing request");
        }
        try {
            JcaPKCS10CertificationRequest csr = new JcaPKCS10CertificationRequest(request);
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(csr.getPublicKey()))) {
                throw new IllegalArgumentException("csr: signature does not verify");
            }
            checkKey(csr.getPublicKey());
            return csr;
        } catch (PKCSException | OperatorCreationException | GeneralSecurityException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae && String.valueOf(iae.getMessage()).startsWith("csr:")) {
                throw iae;
            }
            throw new IllegalArgumentException("csr: signature does not verify (" + e.getMessage() + ")", e);
        }
    }

    private static ContentSigner signer(PrivateKey key) throws OperatorCreationException {
        return new JcaContentSignerBuilder(SIGNATURE).build(key);
    }

    private static X509Certificate convert(X509CertificateHolder holder) throws GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    private static Object readPem(Path file) {
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(file, StandardCharsets.US_ASCII))) {
            Object o = parser.readObject();
            if (o == null) {
                throw new IllegalArgumentException("fleet CA file " + file + " holds no PEM object");
            }
            return o;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fleet CA file " + file, e);
        }
    }

    static String pem(Object o) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void writeOwnerOnly(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: rely on the directory's permissions
        }
        Files.writeString(tmp, content, StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
