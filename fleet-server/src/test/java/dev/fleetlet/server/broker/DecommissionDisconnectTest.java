package dev.fleetlet.server.broker;

import static dev.fleetlet.server.support.FleetTestServer.admin;
import static dev.fleetlet.server.support.FleetTestServer.enrollment;
import static dev.fleetlet.server.support.FleetTestServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.fleetlet.protocol.Topics;
import dev.fleetlet.protocol.message.DesiredState;
import dev.fleetlet.server.support.FleetTestServer;
import dev.fleetlet.server.support.MessageCallback;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecommissionDisconnectTest {

    private static final String SECRET = "device-secret-decommission-0123456789";

    @TempDir
    Path dir;

    @Test
    void decommissioningEndsTheOpenSessionAndTheDeviceCannotReconnect() throws Exception {
        int port = TestServer.freePort();
        try (FleetTestServer server = FleetTestServer.start(dir, Map.of("fleetlet.mqtt.enabled", "true",
                "fleetlet.mqtt.host", "127.0.0.1", "fleetlet.mqtt.port", port, "fleetlet.mqtt.persistence", "in-memory"))) {
            // given an enrolled device with an open MQTT session
            String token = server.createToken("lab", null);
            String id = json(server.post("/api/v1/enroll", null, enrollment(token, "SER-DECOM-1", SECRET)))
                    .get("deviceId").asText();
            String uri = "tcp://127.0.0.1:" + port;
            MqttClient client = new MqttClient(uri, id, new MemoryPersistence());
            AtomicReference<MqttDisconnectResponse> cut = new AtomicReference<>();
            client.setCallback(new Callback(cut));
            client.connect(TestServer.options(id, SECRET));
            assertThat(client.isConnected()).isTrue();
            // and a retained desired state for it
            server.bean(DevicePublisher.class).publishDesiredState(
                    new DesiredState(1, id, 3, Instant.now(), null, Map.of("interval", "10"))).get(5, TimeUnit.SECONDS);
            FleetBroker broker = server.bean(FleetBroker.class);
            assertThat(broker.hasRetained(Topics.desiredState(id)).get(5, TimeUnit.SECONDS)).isTrue();

            // when an operator decommissions it over REST
            assertThat(server.post("/api/v1/devices/" + id + "/decommission", admin(), null).statusCode()).isEqualTo(200);

            // then the broker ends its session
            await().atMost(Duration.ofSeconds(10)).until(() -> cut.get() != null);
            assertThat(client.isConnected()).isFalse();
            client.close(true);
            // and its retained desired state is gone
            assertThat(broker.hasRetained(Topics.desiredState(id)).get(5, TimeUnit.SECONDS)).isFalse();

            // and the device cannot come back with its old credentials
            assertThatThrownBy(() -> {
                MqttClient again = new MqttClient(uri, id, new MemoryPersistence());
                try {
                    again.connect(TestServer.options(id, SECRET));
                } finally {
                    again.close(true);
                }
            }).isInstanceOf(MqttException.class)
                    .satisfies(e -> assertThat(((MqttException) e).getReasonCode()).isEqualTo(0x86)); // bad user name or password
        }
    }

    private record Callback(AtomicReference<MqttDisconnectResponse> cut) implements MessageCallback {
        @Override
        public void disconnected(MqttDisconnectResponse response) {
            cut.set(response);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
        }
    }
}
