package dev.fleetlet.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetlet.agent.backoff.Backoff;
import dev.fleetlet.agent.mqtt.MqttSession;
import dev.fleetlet.agent.mqtt.SessionSettings;
import dev.fleetlet.agent.queue.QueueSettings;
import dev.fleetlet.agent.queue.StoreAndForwardQueue;
import dev.fleetlet.agent.testbroker.LinkProxy;
import dev.fleetlet.protocol.Topics;
import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.protocol.message.Reading;
import dev.fleetlet.protocol.message.TelemetryBatch;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the real session, batcher, queue and publisher against a local mosquitto (Debian package):
 * batches arrive in seq order, the queue cursor follows the PUBACKs, and a backlog written while the
 * broker was down (stopped with SIGTERM, restarted from its persistence file) drains in order after it comes back.
 * The agent reaches the broker through a {@link LinkProxy} that stays closed after the restart until the reader is
 * subscribed again, so the reader sees the drain live instead of racing the agent to the new broker.
 */
class TelemetryOverMosquittoIT {

    private static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");

    @TempDir
    Path tmp;

    @Test
    void publishesQueuedBatchesInOrderAndDrainsTheBacklogAfterABrokerRestart() throws Exception {
        assertThat(Files.isExecutable(MOSQUITTO)).as("install mosquitto (apt-get install mosquitto)").isTrue();
        int port = freePort();
        Process broker = startBroker(port);
        LinkProxy proxy = LinkProxy.start(port);
        ProtocolCodec codec = new ProtocolCodec();
        String deviceId = "pi-test-01";
        List<Long> received = new CopyOnWriteArrayList<>();
        try (StoreAndForwardQueue queue = StoreAndForwardQueue.open(tmp.resolve("q"), QueueSettings.defaults(),
                Clock.systemUTC())) {
            byte[] presence = "{}".getBytes();
            SessionSettings settings = new SessionSettings(URI.create(proxy.uri()), deviceId,
                    "secret-secret-secret-secret-secret-1", Optional.empty(), Duration.ofSeconds(30), Duration.ofDays(7),
                    Duration.ofSeconds(5), Duration.ofSeconds(60), 4, () -> presence, () -> presence, () -> presence);
            MqttSession session = new MqttSession(settings, new Backoff(Duration.ofMillis(100), Duration.ofMillis(500),
                    b -> b));
            TelemetryPublisher publisher = new TelemetryPublisher(deviceId, session, queue);
            session.addListener(publisher);
            TelemetryBatcher batcher = new TelemetryBatcher(deviceId, queue, codec, () -> false, Clock.systemUTC(), 2,
                    publisher::wake);
            MqttClient reader = subscriber(port, deviceId, codec, received);
            publisher.start();
            session.start();
            await().atMost(Duration.ofSeconds(10)).until(session::isConnected);

            for (int i = 0; i < 10; i++) {
                batcher.add(List.of(Reading.ok("greenhouse", "temperature", "Cel", 20 + i, Instant.now())));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> queue.stats().ackedSeq() == 5);
            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 5);
            assertThat(received).startsWith(1L, 2L, 3L, 4L, 5L);
            reader.disconnect();

            proxy.setOpen(false); // the agent cannot reach the new broker before the reader is back
            broker.destroy(); // SIGTERM: mosquitto saves its sessions, the reader's subscription included
            broker.waitFor();
            await().atMost(Duration.ofSeconds(10)).until(() -> !session.isConnected());
            for (int i = 0; i < 6; i++) {
                batcher.add(List.of(Reading.ok("greenhouse", "temperature", "Cel", 30 + i, Instant.now())));
            }
            assertThat(queue.stats().lastSeq()).isEqualTo(8);
            assertThat(queue.stats().ackedSeq()).isEqualTo(5);

            broker = startBroker(port);
            received.clear();
            reader = subscriber(port, deviceId, codec, received); // returns once the SUBACK is in
            proxy.setOpen(true);
            await().atMost(Duration.ofSeconds(20)).until(() -> queue.stats().ackedSeq() == 8);
            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 3);
            assertThat(received).containsExactly(6L, 7L, 8L);
            reader.disconnect();
            publisher.close();
            session.close();
        } finally {
            broker.destroyForcibly().waitFor();
            proxy.close();
        }
    }

    /**
     * A reader with a persistent session (same client id, clean start off): the broker keeps its subscription and
     * queues what the agent publishes while the reader is away, so the reader does not race the agent after a
     * broker restart.
     */
    private static MqttClient subscriber(int port, String deviceId, ProtocolCodec codec, List<Long> received)
            throws Exception {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, "reader-" + deviceId, new MemoryPersistence());
        c.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage msg) {
                TelemetryBatch b = codec.decode(MessageType.TELEMETRY, msg.getPayload()).orElseThrow();
                received.add(b.seq());
            }

            @Override
            public void disconnected(MqttDisconnectResponse response) {
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(false);
        o.setSessionExpiryInterval(600L);
        c.connect(o);
        c.subscribe(Topics.telemetry(deviceId), 1);
        return c;
    }

    private Process startBroker(int port) throws IOException {
        Path conf = tmp.resolve("mosquitto.conf");
        Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence true\n"
                + "persistence_location " + tmp + "/\n");
        Process p = new ProcessBuilder(MOSQUITTO.toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("mosquitto.log").toFile()).start();
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
