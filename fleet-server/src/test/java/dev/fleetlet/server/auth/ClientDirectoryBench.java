package dev.fleetlet.server.auth;

import static dev.fleetlet.server.support.FleetTestServer.enrollment;
import static dev.fleetlet.server.support.FleetTestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.server.support.FleetTestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cost of device CONNECT authentication with the production PBKDF2 cost for machine secrets (10,000 iterations): 100 devices
 * connect for the first time, then reconnect 100 times each (10,000 reconnects).
 * Run: {@code ./mvnw -B -ntp -Pbench -pl fleet-server test -Dtest=ClientDirectoryBench}.
 */
class ClientDirectoryBench {

    @TempDir
    Path dataDir;

    @Test
    void measuresFirstConnectAndReconnectCost() {
        try (FleetTestServer server = FleetTestServer.start(dataDir, Map.of("fleetlet.security.pbkdf2-iterations", 120000,
                "fleetlet.security.machine-secret-pbkdf2-iterations", 10000))) {
            String token = server.createToken("bench", null);
            List<String> ids = new ArrayList<>();
            List<byte[]> secrets = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String secret = "bench-secret-" + i + "-0123456789abcdefghijklmnopqrstu";
                ids.add(json(server.post("/api/v1/enroll", null, enrollment(token, "SER-BENCH-" + i, secret))).get("deviceId").asText());
                secrets.add(secret.getBytes(StandardCharsets.UTF_8));
            }
            FleetClientDirectory directory = server.bean(FleetClientDirectory.class);
            long t0 = System.nanoTime();
            for (int i = 0; i < ids.size(); i++) {
                assertThat(directory.authenticate(ids.get(i), ids.get(i), secrets.get(i))).isPresent();
            }
            long first = System.nanoTime() - t0;
            long t1 = System.nanoTime();
            for (int round = 0; round < 100; round++) {
                for (int i = 0; i < ids.size(); i++) {
                    if (directory.authenticate(ids.get(i), ids.get(i), secrets.get(i)).isEmpty()) {
                        throw new AssertionError("reconnect refused for " + ids.get(i));
                    }
                }
            }
            long reconnects = System.nanoTime() - t1;
            System.out.printf("BENCH client-directory-auth first_connect_ms_avg=%.2f reconnects=10000 reconnect_total_ms=%.0f "
                            + "reconnect_us_avg=%.1f machine_secret_pbkdf2_iterations=10000 db=h2%n",
                    first / 1e6 / ids.size(), reconnects / 1e6, reconnects / 1e3 / 10_000);
        }
    }
}
