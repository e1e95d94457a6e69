package dev.fleetlet.server.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.fleetlet.protocol.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerSecurityTest {

    private static final int BAD_USER_NAME_OR_PASSWORD = 0x86;
    private static final int CLIENT_IDENTIFIER_NOT_VALID = 0x85;
    private static final int NOT_AUTHORIZED = 0x87;

    @TempDir
    static Path dataDir;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dataDir);
        server.directory().addDevice("dev-a", "secret-a");
        server.directory().addDevice("dev-b", "secret-b");
        server.directory().addReader("grafana", "reader-secret");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void refusesAnUnknownClientWithBadUserNameOrPassword() {
        assertThatThrownBy(() -> Mqtt.connect(server.mqttUri(), "stranger", "stranger", "whatever"))
                .isInstanceOfSatisfying(MqttException.class,
                        e -> assertThat(e.getReasonCode()).isEqualTo(BAD_USER_NAME_OR_PASSWORD));
    }

    @Test
    void refusesAKnownDeviceWithTheWrongPassword() {
        assertThatThrownBy(() -> Mqtt.connect(server.mqttUri(), "dev-a", "dev-a", "secret-b"))
                .isInstanceOfSatisfying(MqttException.class,
                        e -> assertThat(e.getReasonCode()).isEqualTo(BAD_USER_NAME_OR_PASSWORD));
    }

    @Test
    void refusesAnEmptyPasswordAndMissingCredentials() {
        assertThatThrownBy(() -> Mqtt.connect(server.mqttUri(), "dev-a", "dev-a", ""))
                .isInstanceOfSatisfying(MqttException.class,
                        e -> assertThat(e.getReasonCode()).isEqualTo(BAD_USER_NAME_OR_PASSWORD));
        assertThatThrownBy(() -> Mqtt.connect(server.mqttUri(), "dev-a", null, null))
                .isInstanceOfSatisfying(MqttException.class,
                        e -> assertThat(e.getReasonCode()).isEqualTo(BAD_USER_NAME_OR_PASSWORD));
    }

    @Test
    void refusesADeviceWhoseClientIdIsNotItsDeviceId() {
        assertThatThrownBy(() -> Mqtt.connect(server.mqttUri(), "dev-b", "dev-a", "secret-a"))
                .isInstanceOfSatisfying(MqttException.class,
                        e -> assertThat(e.getReasonCode()).isEqualTo(CLIENT_IDENTIFIER_NOT_VALID));
    }

    @Test
    void refusesADevicePublishingUnderAnotherDevicesPrefix() throws Exception {
        MqttAsyncClient a = Mqtt.connect(server.mqttUri(), "dev-a", "dev-a", "secret-a");
        try {
            // given a valid batch of dev-b, when dev-a publishes it on dev-b's topic
            byte[] payload = Mqtt.encode(Mqtt.batch("dev-b", "stream-x", 1, 2, Instant.now()));
            int code = Mqtt.publish(a, Topics.telemetry("dev-b"), payload);
            // then it is not authorized, and dev-a stays connected (MQTT 5)
            assertThat(code).isEqualTo(NOT_AUTHORIZED);
            assertThat(a.isConnected()).isTrue();
            assertThat(Mqtt.publish(a, Topics.desiredState("dev-a"), "{}".getBytes())).isEqualTo(NOT_AUTHORIZED);
        } finally {
            Mqtt.closeQuietly(a);
        }
    }

    @Test
    void refusesADeviceSubscribingToAnotherDevicesTopicsOrWildcards() throws Exception {
        MqttAsyncClient a = Mqtt.connect(server.mqttUri(), "dev-a", "dev-a", "secret-a");
        try {
            assertThat(Mqtt.subscribe(a, Topics.desiredState("dev-b"))).isEqualTo(NOT_AUTHORIZED);
            assertThat(Mqtt.subscribe(a, Topics.allDevices(dev.fleetlet.protocol.TopicKind.TELEMETRY)))
                    .isEqualTo(NOT_AUTHORIZED);
            assertThat(Mqtt.subscribe(a, "#")).isEqualTo(NOT_AUTHORIZED);
            assertThat(Mqtt.subscribe(a, Topics.desiredState("dev-a"))).isLessThan(0x80);
        } finally {
            Mqtt.closeQuietly(a);
        }
    }

    @Test
    void letsATelemetryReaderSubscribeToAllTelemetryButNotPublish() throws Exception {
        MqttAsyncClient reader = Mqtt.connect(server.mqttUri(), "grafana-1", "grafana", "reader-secret");
        try {
            assertThat(Mqtt.subscribe(reader, Topics.allDevices(dev.fleetlet.protocol.TopicKind.TELEMETRY))).isLessThan(0x80);
            assertThat(Mqtt.subscribe(reader, "$share/g/" + Topics.allDevices(dev.fleetlet.protocol.TopicKind.TELEMETRY)))
                    .isLessThan(0x80);
            assertThat(Mqtt.subscribe(reader, Topics.commandRequests("dev-a"))).isEqualTo(NOT_AUTHORIZED);
            byte[] payload = Mqtt.encode(Mqtt.batch("dev-a", "stream-x", 1, 1, Instant.now()));
            assertThat(Mqtt.publish(reader, Topics.telemetry("dev-a"), payload)).isEqualTo(NOT_AUTHORIZED);
        } finally {
            Mqtt.closeQuietly(reader);
        }
    }

    @Test
    void reportsDeviceConnectAndDisconnectToThePresenceListener() throws Exception {
        server.directory().addDevice("dev-presence", "secret-p");
        MqttAsyncClient c = Mqtt.connect(server.mqttUri(), "dev-presence", "dev-presence", "secret-p");
        await().atMost(Duration.ofSeconds(5)).until(() -> server.presence().calls.contains(
                new RecordingPresenceListener.Call("dev-presence", "connected", null, null)));
        c.disconnect().waitForCompletion(5_000);
        c.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.presence().calls.contains(
                new RecordingPresenceListener.Call("dev-presence", "offline", null, "disconnect")));
    }

    @Test
    void doesNotReportATakenOverSessionAsOffline() throws Exception {
        server.directory().addDevice("dev-takeover", "secret-t");
        MqttAsyncClient first = Mqtt.connect(server.mqttUri(), "dev-takeover", "dev-takeover", "secret-t");
        // when the same device connects again (e.g. after a half-open connection)
        MqttAsyncClient second = Mqtt.connect(server.mqttUri(), "dev-takeover", "dev-takeover", "secret-t");
        await().atMost(Duration.ofSeconds(5)).until(() -> !first.isConnected());
        await().atMost(Duration.ofSeconds(5)).until(() -> server.presence().calls.stream()
                .filter(c -> c.deviceId().equals("dev-takeover") && c.what().equals("connected")).count() == 2);
        // then it was never reported offline, until the live connection really ends
        assertThat(server.presence().calls).noneMatch(c -> c.deviceId().equals("dev-takeover") && c.what().equals("offline"));
        second.disconnect().waitForCompletion(5_000);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.presence().calls.contains(
                new RecordingPresenceListener.Call("dev-takeover", "offline", null, "disconnect")));
        first.close(true);
        second.close();
    }
}
