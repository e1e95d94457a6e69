package dev.fleetlet.server.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fleetlet.protocol.Topics;
import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.message.CommandRequest;
import dev.fleetlet.protocol.message.CommandResponse;
import dev.fleetlet.protocol.message.DesiredState;
import dev.fleetlet.protocol.message.HardwareFacts;
import dev.fleetlet.protocol.message.Presence;
import dev.fleetlet.protocol.message.Release;
import dev.fleetlet.server.support.MessageCallback;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevicePublisherTest {

    @TempDir
    static Path dataDir;
    static TestServer server;
    static DevicePublisher publisher;

    @BeforeAll
    static void start() {
        server = TestServer.start(dataDir);
        publisher = server.context.getBean(DevicePublisher.class);
        for (String d : List.of("dev-desired", "dev-cmd", "dev-birth", "dev-invalid")) {
            server.directory().addDevice(d, "pw-" + d);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Records messages; answers command requests when {@code answer} is set. */
    private static final class Device implements MessageCallback {
        final List<MqttMessage> received = new CopyOnWriteArrayList<>();
        final List<String> topics = new CopyOnWriteArrayList<>();
        MqttAsyncClient client;
        boolean answer;

        @Override
        public void messageArrived(String topic, MqttMessage message) throws Exception {
            topics.add(topic);
            received.add(message);
            if (answer && topic.endsWith("/commands/req")) {
                CommandRequest req = Mqtt.CODEC.decode(MessageType.COMMAND_REQUEST, message.getPayload()).orElseThrow();
                CommandResponse res = new CommandResponse(1, req.id(), CommandResponse.Status.OK, Instant.now(),
                        JsonNodeFactory.instance.objectNode().put("pong", true), null);
                MqttMessage reply = new MqttMessage(Mqtt.CODEC.encode(MessageType.COMMAND_RESPONSE, res));
                reply.setQos(1);
                MqttProperties props = new MqttProperties();
                props.setCorrelationData(message.getProperties().getCorrelationData());
                reply.setProperties(props);
                client.publish(message.getProperties().getResponseTopic(), reply);
            }
        }
    }

    private static Device connect(String id) throws MqttException {
        Device d = new Device();
        d.client = Mqtt.connect(server.mqttUri(), id, id, "pw-" + id);
        d.client.setCallback(d);
        return d;
    }

    @Test
    void publishesDesiredStateRetainedSoAnOfflineDeviceGetsItOnSubscribe() throws Exception {
        // given desired state published while the device is offline
        publisher.publishDesiredState(new DesiredState(1, "dev-desired", 7, Instant.now(), null, Map.of("interval", "10")))
                .get(5, TimeUnit.SECONDS);
        // when the device connects and subscribes
        Device device = connect("dev-desired");
        try {
            assertThat(Mqtt.subscribe(device.client, Topics.desiredState("dev-desired"))).isLessThan(0x80);
            // then it receives the retained state
            await().atMost(Duration.ofSeconds(5)).until(() -> !device.received.isEmpty());
            MqttMessage m = device.received.get(0);
            assertThat(m.isRetained()).isTrue();
            assertThat(m.getQos()).isEqualTo(1);
            DesiredState state = Mqtt.CODEC.decode(MessageType.DESIRED_STATE, m.getPayload()).orElseThrow();
            assertThat(state.generation()).isEqualTo(7);
            assertThat(state.config()).containsEntry("interval", "10");
        } finally {
            Mqtt.closeQuietly(device.client);
        }
    }

    @Test
    void refusesAnInvalidDesiredState() throws Exception {
        // given a device listening on its desired-state topic, and a valid release already published once
        // (its full check is done and cached; later states carrying it only get the envelope checked)
        Release good = new Release("hub-2.0", "hub", "2.0", new ObjectMapper().readTree(
                "{\"services\":{\"web\":{\"image\":\"registry.local/hub@sha256:" + "b".repeat(64) + "\"}}}"));
        Release badSpec = new Release("hub-2.0", "hub", "2.0", new ObjectMapper().readTree(
                "{\"services\":{\"web\":{\"image\":\"nginx\",\"ports\":[\"80:80\"]}}}"));
        publisher.publishDesiredState(new DesiredState(1, "dev-invalid", 1, Instant.now(), good, Map.of()))
                .get(5, TimeUnit.SECONDS);
        Device device = connect("dev-invalid");
        try {
            assertThat(Mqtt.subscribe(device.client, Topics.desiredState("dev-invalid"))).isLessThan(0x80);
            await().atMost(Duration.ofSeconds(5)).until(() -> device.received.size() == 1);

            // when invalid states are published: a bad envelope field with the cached release, a bad config key,
            // and another release object under the same id whose spec breaks the app spec rules
            List<DesiredState> invalid = List.of(
                    new DesiredState(1, "dev-invalid", 0, Instant.now(), good, Map.of()),
                    new DesiredState(1, "dev-invalid", 2, Instant.now(), good, Map.of("not a key", "1")),
                    new DesiredState(1, "dev-invalid", 3, Instant.now(), badSpec, Map.of()));

            // then each is refused naming its field
            List<String> fields = List.of("/generation", "/config", "/release/spec/services/web/ports");
            for (int i = 0; i < invalid.size(); i++) {
                DesiredState state = invalid.get(i);
                assertThatThrownBy(() -> publisher.publishDesiredState(state).get(5, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(fields.get(i));
            }
            // and never reaches the device: the next message it gets is the next valid state
            publisher.publishDesiredState(new DesiredState(1, "dev-invalid", 4, Instant.now(), good, Map.of()))
                    .get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> device.received.size() >= 2);
            assertThat(device.received).hasSize(2);
            DesiredState next = Mqtt.CODEC.decode(MessageType.DESIRED_STATE, device.received.get(1).getPayload())
                    .orElseThrow();
            assertThat(next.generation()).isEqualTo(4);
            assertThat(next.release()).isEqualTo(good);
        } finally {
            Mqtt.closeQuietly(device.client);
        }
    }

    @Test
    void sendsACommandAsAnMqtt5RequestAndCompletesWithTheResponse() throws Exception {
        Device device = connect("dev-cmd");
        device.answer = true;
        try {
            assertThat(Mqtt.subscribe(device.client, Topics.commandRequests("dev-cmd"))).isLessThan(0x80);
            CommandRequest request = new CommandRequest(1, "cmd-1", "ping", null, Instant.now(), 5000);
            CommandResponse response = publisher.sendCommand("dev-cmd", request, Duration.ofSeconds(5))
                    .get(10, TimeUnit.SECONDS);
            assertThat(response.id()).isEqualTo("cmd-1");
            assertThat(response.status()).isEqualTo(CommandResponse.Status.OK);
            MqttMessage sent = device.received.get(0);
            assertThat(sent.getProperties().getResponseTopic()).isEqualTo(Topics.commandResponses("dev-cmd"));
            assertThat(new String(sent.getProperties().getCorrelationData(), StandardCharsets.UTF_8)).isEqualTo("cmd-1");
            assertThat(sent.getProperties().getMessageExpiryInterval()).isEqualTo(5L);
        } finally {
            Mqtt.closeQuietly(device.client);
        }
    }

    @Test
    void failsACommandWithTimeoutWhenNoDeviceAnswers() {
        CommandRequest request = new CommandRequest(1, "cmd-lost", "ping", null, Instant.now(), 300);
        assertThatThrownBy(() -> publisher.sendCommand("dev-nobody", request, Duration.ofMillis(300)).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);
    }

    @Test
    void reportsBirthAndDeathMessagesToThePresenceListener() throws Exception {
        Device device = connect("dev-birth");
        try {
            HardwareFacts hw = new HardwareFacts("0000abcd", "Raspberry Pi 4 Model B", "arm64", "v8", 4096, "6.6.31",
                    "Debian 12", "0.1.0", List.of("gpio"));
            Presence birth = Presence.birth("dev-birth", Instant.now(), true, "boot-1", hw);
            assertThat(Mqtt.publish(device.client, Topics.presence("dev-birth"), Mqtt.CODEC.encode(MessageType.PRESENCE, birth)))
                    .isLessThan(0x80);
            Presence death = Presence.death("dev-birth", Instant.now(), true, "boot-1", "shutdown");
            assertThat(Mqtt.publish(device.client, Topics.presence("dev-birth"), Mqtt.CODEC.encode(MessageType.PRESENCE, death)))
                    .isLessThan(0x80);
            Presence foreign = Presence.death("dev-other", Instant.now(), true, "boot-1", "shutdown");
            assertThat(Mqtt.publish(device.client, Topics.presence("dev-birth"), Mqtt.CODEC.encode(MessageType.PRESENCE, foreign)))
                    .isEqualTo(0x99);
            await().atMost(Duration.ofSeconds(5)).until(() -> server.presence().calls.contains(
                    new RecordingPresenceListener.Call("dev-birth", "offline", null, "shutdown")));
            assertThat(server.presence().calls).filteredOn(c -> c.deviceId().equals("dev-birth") && c.what().equals("birth"))
                    .singleElement().satisfies(c -> assertThat(c.birth().hardware().model()).isEqualTo("Raspberry Pi 4 Model B"));
            assertThat(server.presence().calls).noneMatch(c -> c.deviceId().equals("dev-other"));
        } finally {
            Mqtt.closeQuietly(device.client);
        }
    }
}
