package dev.fleetlet.server.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.protocol.Topics;
import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.message.DeviceEvent;
import dev.fleetlet.protocol.message.HardwareFacts;
import dev.fleetlet.protocol.message.LogChunk;
import dev.fleetlet.protocol.message.Presence;
import dev.fleetlet.protocol.message.ReportedState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device may only speak for itself: on each of its topics, a payload whose {@code deviceId} names another device
 * is refused (PAYLOAD_FORMAT_INVALID), counted per topic kind, and never reaches the server's listeners; the same
 * payload naming the publishing device is accepted. (Telemetry is covered with the other malformed input in
 * TelemetryIngestTest.)
 */
class ForeignDeviceIdTest {

    private static final int PAYLOAD_FORMAT_INVALID = 0x99;

    @TempDir
    Path dataDir;

    private static Map<String, Function<String, byte[]>> payloadsOnTopicsOf(String publisher, Instant now) {
        Map<String, Function<String, byte[]>> byTopic = new LinkedHashMap<>();
        byTopic.put(Topics.presence(publisher), named -> Mqtt.CODEC.encode(MessageType.PRESENCE,
                Presence.birth(named, now, true, "boot-1", new HardwareFacts("0000f00d", "Raspberry Pi 4 Model B", "arm64", "v8",
                        4096, "6.6.31", "Debian 12", "0.1.0", List.of("gpio")))));
        byTopic.put(Topics.reportedState(publisher), named -> Mqtt.CODEC.encode(MessageType.REPORTED_STATE,
                new ReportedState(1, named, 1, now, ReportedState.Status.APPLIED, "app-1", null, null, List.of(), null)));
        byTopic.put(Topics.events(publisher), named -> Mqtt.CODEC.encode(MessageType.EVENT,
                new DeviceEvent(1, named, 1, now, DeviceEvent.Type.AGENT_STARTED, null, null, null, "started")));
        byTopic.put(Topics.logs(publisher), named -> Mqtt.CODEC.encode(MessageType.LOG_CHUNK,
                new LogChunk(1, named, "req-1", 0, true, List.of(new LogChunk.Line(now, "agent", "info", "hello")))));
        return byTopic;
    }

    @Test
    void refusesPayloadsNamingAnotherDeviceOnEveryDeviceTopic() throws Exception {
        try (TestServer server = TestServer.start(dataDir)) {
            server.directory().addDevice("dev-a", "pw");
            server.directory().addDevice("dev-b", "pw");
            MqttAsyncClient a = Mqtt.connect(server.mqttUri(), "dev-a", "dev-a", "pw");
            MeterRegistry registry = server.context.getBean(MeterRegistry.class);
            Map<String, Function<String, byte[]>> payloads = payloadsOnTopicsOf("dev-a", Instant.now());

            // when dev-a publishes, on its own topics, payloads that claim to come from dev-b
            for (Map.Entry<String, Function<String, byte[]>> e : payloads.entrySet()) {
                assertThat(Mqtt.publish(a, e.getKey(), e.getValue().apply("dev-b"))).as(e.getKey())
                        .isEqualTo(PAYLOAD_FORMAT_INVALID);
            }

            // then each refusal is counted under its topic kind, and dev-b was never reported online
            for (String kind : List.of("presence", "reported_state", "events", "logs")) {
                Counter c = registry.find("fleetlet.mqtt.messages.rejected").tags("kind", kind, "reason", "device_id_mismatch")
                        .counter();
                assertThat(c).as("rejected counter of kind %s", kind).isNotNull();
                assertThat(c.count()).as(kind).isEqualTo(1.0);
            }
            assertThat(server.presence().calls).noneMatch(call -> call.deviceId().equals("dev-b"));

            // and the same payloads naming dev-a itself are accepted: the check is not a blanket refusal
            for (Map.Entry<String, Function<String, byte[]>> e : payloads.entrySet()) {
                assertThat(Mqtt.publish(a, e.getKey(), e.getValue().apply("dev-a"))).as(e.getKey()).isLessThan(0x80);
            }
            assertThat(server.presence().calls).anyMatch(call -> call.deviceId().equals("dev-a") && call.what().equals("birth"));
            Mqtt.closeQuietly(a);
        }
    }
}
