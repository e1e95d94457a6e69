package dev.fleetlet.agent.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds a TLS context that trusts exactly the CA certificates of the provisioning file (not the JDK's
 * public CAs), for both the enrollment HTTPS call and the MQTT TLS connection. Host names are still
 * verified by the callers (HttpClient does it; the MQTT session enables it explicitly).
 *
 * <p>Clock: the JDK checks certificate validity dates against the system clock. A board whose clock is
 * not synchronised yet (no RTC: it starts at the last shutdown time) could see a fresh server
 * certificate as "not yet valid". The agent does not work around that with a custom trust manager that
 * skips date checks (that would also accept expired certificates forever); instead the TLS failure is
 * treated like any other connection failure and retried with back-off until the OS clock is
 * synchronised, and the log says so (see {@code ClockStatus}).
 */
public final class TrustedCa {

    private TrustedCa() {
    }

    /**
     * @param pem one or more PEM certificates
     * @throws IllegalArgumentException when the PEM holds no usable certificate
     */
    public static SSLContext sslContext(String pem) {
        return sslContext(java.util.Optional.of(pem), null);
    }

    /**
     * A context that also presents a client certificate (the opt-in certificate credential).
     *
     * @param pem         the provisioning CA certificates, or empty for the JDK's trust store
     * @param keyManagers what to present to a server asking for a client certificate, or null for nothing
     * @throws IllegalArgumentException when the PEM holds no usable certificate
     */
    public static SSLContext sslContext(java.util.Optional<String> pem, javax.net.ssl.KeyManager[] keyManagers) {
        if (pem.isEmpty()) {
            try {
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(keyManagers, null, null);
                return ctx;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("TLS unavailable: " + e.getMessage(), e);
            }
        }
        return trusting(pem.get(), keyManagers);
    }

    private static SSLContext trusting(String pem, javax.net.ssl.KeyManager[] keyManagers) {
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            Collection<? extends Certificate> certs =
                    cf.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("caCertificatePem: no certificate found");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                store.setCertificateEntry("fleetlet-ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keyManagers, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("caCertificatePem: not usable as a trust anchor: " + e.getMessage(), e);
        }
    }
}
