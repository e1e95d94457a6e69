package dev.fleetlet.server.device;

import static dev.fleetlet.server.support.FleetTestServer.json;
import static dev.fleetlet.server.support.FleetTestServer.enrollment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetlet.server.broker.Db;
import dev.fleetlet.server.broker.Mqtt;
import dev.fleetlet.server.broker.TestServer;
import dev.fleetlet.server.support.FleetTestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Presence across server stops: a clean stop leaves every connected device offline with reason
 * {@code server_shutdown}; a run that ended without one (simulated by editing the database file while no
 * server runs) is cleaned up with reason {@code server_restart} at the next start.
 */
class ServerShutdownTest {

    private static final int DEVICES = 40;
    private static final String SECRET = "device-secret-shutdown-test-0123456789";

    @TempDir
    Path dir;

    private Map<String, Object> withBroker(int port) {
        return Map.of("fleetlet.mqtt.enabled", "true", "fleetlet.mqtt.host", "127.0.0.1", "fleetlet.mqtt.port", port,
                "fleetlet.mqtt.persistence", "in-memory");
    }

    @Test
    void aCleanStopLeavesEveryConnectedDeviceOfflineWithReasonServerShutdown() throws Exception {
        int port = TestServer.freePort();
        List<MqttAsyncClient> clients = new ArrayList<>();
        try (FleetTestServer server = FleetTestServer.start(dir, withBroker(port))) {
            // given 40 enrolled devices connected over MQTT and stored online
            String token = server.createToken("lab", null);
            for (int i = 0; i < DEVICES; i++) {
                String id = json(server.post("/api/v1/enroll", null, enrollment(token, "SER-SD-" + i, SECRET)))
                        .get("deviceId").asText();
                clients.add(Mqtt.connect("tcp://127.0.0.1:" + port, id, id, SECRET));
            }
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    Db.count(server.context(), "SELECT COUNT(*) FROM devices WHERE online = TRUE") == DEVICES);
            // when the server stops while they are still connected (they do not disconnect themselves)
        } finally {
            clients.forEach(c -> {
                try {
                    c.close(true);
                } catch (Exception e) {
                    // the server already ended the connection
                }
            });
        }

        // then after a restart every device is offline, with the shutdown reason, and an offline event each
        try (FleetTestServer again = FleetTestServer.start(dir, Map.of())) {
            assertThat(Db.count(again.context(), "SELECT COUNT(*) FROM devices WHERE online = TRUE")).isZero();
            assertThat(Db.count(again.context(), "SELECT COUNT(*) FROM devices WHERE offline_reason = ?",
                    PresenceTracker.SERVER_SHUTDOWN)).isEqualTo(DEVICES);
        }
    }

    @Test
    void devicesLeftOnlineByARunWithoutACleanStopAreOfflineWithReasonServerRestartBeforeClientsConnect() throws Exception {
        // given a database in which 40 devices are stored online, as a killed server leaves it
        try (FleetTestServer server = FleetTestServer.start(dir, Map.of())) {
            String token = server.createToken("lab", null);
            for (int i = 0; i < DEVICES; i++) {
                assertThat(server.post("/api/v1/enroll", null, enrollment(token, "SER-CR-" + i, SECRET)).statusCode())
                        .isEqualTo(200);
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("db/fleetlet"), "sa", "");
             Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("UPDATE devices SET online = TRUE, offline_reason = NULL")).isEqualTo(DEVICES);
        }

        // when the server starts again, broker included, and one device connects right away
        int port = TestServer.freePort();
        try (FleetTestServer server = FleetTestServer.start(dir, withBroker(port))) {
            String first = Db.firstString(server.context(), "SELECT MIN(id) FROM devices");
            MqttAsyncClient client = Mqtt.connect("tcp://127.0.0.1:" + port, first, first, SECRET);
            try {
                // then the others were reset to offline with the restart reason, and the connected one is online
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        Db.count(server.context(), "SELECT COUNT(*) FROM devices WHERE online = TRUE") == 1);
                assertThat(Db.count(server.context(), "SELECT COUNT(*) FROM devices WHERE offline_reason = ?",
                        PresenceTracker.SERVER_RESTART)).isEqualTo(DEVICES - 1);
                assertThat(Db.count(server.context(), "SELECT COUNT(*) FROM device_events WHERE event_type = 'device.offline'"))
                        .isEqualTo(DEVICES);
            } finally {
                Mqtt.closeQuietly(client);
            }
        }
    }
}
