package dev.fleetlet.server.enrollment.ca;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Keys, CSRs, certificates and TLS contexts for the certificate-credential tests. */
public final class TestPki {

    private TestPki() {
    }

    public static KeyPair ecKey() {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"));
            return gen.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair rsaKey(int bits) {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(bits);
            return gen.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PEM PKCS#10 request for {@code key} asking for {@code subject} (e.g. {@code CN=x}). */
    public static String csr(KeyPair key, String subject) {
        try {
            String alg = key.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), key.getPublic())
                    .build(new JcaContentSignerBuilder(alg).build(key.getPrivate()));
            return pem(request);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed certificate for {@code key} named {@code CN=cn}, valid now, with 127.0.0.1 and localhost. */
    public static X509Certificate selfSigned(KeyPair key, String cn) {
        try {
            X500Name name = new X500Name("CN=" + cn);
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(2))), name, key.getPublic());
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses PEM certificates. */
    public static List<X509Certificate> certificates(List<String> pems) {
        try {
            CertificateFactory f = CertificateFactory.getInstance("X.509");
            List<X509Certificate> out = new ArrayList<>();
            for (String pem : pems) {
                out.add((X509Certificate) f.generateCertificate(new java.io.ByteArrayInputStream(pem.getBytes(
                        java.nio.charset.StandardCharsets.US_ASCII))));
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PKCS#12 key store holding {@code key} with {@code chain} under alias "key". */
    public static KeyStore keyStore(PrivateKey key, List<X509Certificate> chain, char[] password) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("key", key, password, chain.toArray(new X509Certificate[0]));
            return ks;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client TLS context presenting {@code chain} (or no certificate when null) and trusting {@code server}. */
    public static SSLContext clientContext(PrivateKey key, List<X509Certificate> chain, X509Certificate server) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("server", server);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = null;
            if (chain != null) {
                char[] pw = "pw".toCharArray();
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keyStore(key, chain, pw), pw);
            }
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ssl;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(Object o) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }
}
