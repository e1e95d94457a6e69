package dev.fleetlet.server.auth;

import static dev.fleetlet.server.support.FleetTestServer.enrollment;
import static dev.fleetlet.server.support.FleetTestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.server.support.FleetTestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientDirectoryCacheTest {

    @TempDir
    Path dataDir;

    @Test
    void paysTheSlowHashOncePerCredentialNotOncePerReconnect() {
        try (FleetTestServer server = FleetTestServer.start(dataDir, Map.of())) {
            // given an enrolled device
            String token = server.createToken("lab", null);
            String secret = "reconnect-secret-0123456789abcdefghijkl";
            String id = json(server.post("/api/v1/enroll", null, enrollment(token, "SER-CACHE-1", secret))).get("deviceId").asText();
            FleetClientDirectory directory = server.bean(FleetClientDirectory.class);
            byte[] password = secret.getBytes(StandardCharsets.UTF_8);
            long before = directory.slowVerifications();
            // when it reconnects 1,000 times, with a wrong password in between
            for (int i = 0; i < 1000; i++) {
                assertThat(directory.authenticate(id, id, password)).isPresent();
            }
            assertThat(directory.authenticate(id, id, "wrong-secret".getBytes(StandardCharsets.UTF_8))).isEmpty();
            // then only the wrong password needed PBKDF2: the enrollment, which hashed the secret anyway,
            // primed the cache, so not even the first connect pays a second slow hash
            assertThat(directory.slowVerifications() - before).isEqualTo(1);
            // and after re-enrollment with a new secret the cached old one no longer opens the door
            String renewed = "renewed-secret-0123456789abcdefghijklmn";
            server.post("/api/v1/enroll", null, enrollment(token, "SER-CACHE-1", renewed));
            assertThat(directory.authenticate(id, id, password)).isEmpty();
            long beforeRenewed = directory.slowVerifications();
            assertThat(directory.authenticate(id, id, renewed.getBytes(StandardCharsets.UTF_8))).isPresent();
            assertThat(directory.slowVerifications() - beforeRenewed).as("re-enrollment primes the cache too").isZero();
        }
    }
}
