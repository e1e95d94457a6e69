package dev.fleetlet.server.broker.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/**
 * Writes the TLS listener's client-certificate trust store: a PKCS#12 file ({@code conf/client-ca.p12},
 * owner-only) holding just the fleet CA certificate, with a fresh random password at every start (the password
 * goes into the owner-only config.xml). Rewritten at every start so a replaced CA takes effect.
 */
public final class ClientCaTrustStore {

    private ClientCaTrustStore() {
    }

    /** Writes the trust store under {@code conf} and returns where it is and its password. */
    public static BrokerConfigXml.TrustStore write(Path conf, X509Certificate ca) {
        byte[] raw = new byte[18];
        new SecureRandom().nextBytes(raw);
        String password = HexFormat.of().formatHex(raw);
        Path file = conf.resolve("client-ca.p12");
        Path tmp = conf.resolve("client-ca.p12.tmp");
        try {
            Files.createDirectories(conf);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("fleet-ca", ca);
            Files.deleteIfExists(tmp);
            Files.createFile(tmp);
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not POSIX: the directory's permissions apply
            }
            try (OutputStream out = Files.newOutputStream(tmp)) {
                store.store(out, password.toCharArray());
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the client CA trust store " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the client CA trust store: " + e.getMessage(), e);
        }
        return new BrokerConfigXml.TrustStore(file, password);
    }
}
