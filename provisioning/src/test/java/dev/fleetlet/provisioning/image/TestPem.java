package dev.fleetlet.provisioning.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A self-signed CA certificate made with openssl for tests. */
public final class TestPem {

    private TestPem() {
    }

    public static Path ca(Path dir) throws IOException {
        Path key = dir.resolve("ca.key");
        Path pem = dir.resolve("ca.pem");
        ImageFixture.run(dir, null, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", key.toString(), "-out", pem.toString(), "-days", "30", "-subj", "/CN=Fleetlet Test CA");
        Files.delete(key);
        return pem;
    }
}
