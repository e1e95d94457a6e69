package dev.fleetlet.agent.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

/** The CONNECT options the session builds: TLS only for TLS URIs, no topic aliases, room for control messages. */
class MqttSessionOptionsTest {

    private static SessionSettings settings(String uri, Optional<SSLContext> tls) {
        byte[] presence = "{}".getBytes();
        return new SessionSettings(URI.create(uri), "pi-test-01", "secret-secret-secret-secret-secret-1", tls,
                Duration.ofSeconds(30), Duration.ofDays(7), Duration.ofSeconds(5), Duration.ofSeconds(60), 10,
                () -> presence, () -> presence, () -> presence);
    }

    @Test
    void ignoresTheProvisioningCaForAPlainTcpBroker() throws Exception {
        // given a provisioning CA and a tcp:// broker
        SessionSettings s = settings("tcp://127.0.0.1:1883", Optional.of(SSLContext.getDefault()));

        // when the options are built
        MqttConnectionOptions o = ConnectOptions.of(s);

        // then no SSL socket factory is set, so Paho accepts the URI
        assertThat(o.getSocketFactory()).isNull();
        assertThat(ConnectOptions.isTls(s.uri())).isFalse();
    }

    @Test
    void usesTheProvisioningCaForSslAndWssBrokers() throws Exception {
        SSLContext ca = SSLContext.getDefault();
        for (String uri : new String[] {"ssl://broker.example:8883", "SSL://broker.example:8883",
                "wss://broker.example:443/mqtt"}) {
            // given a provisioning CA and a TLS broker URI
            SessionSettings s = settings(uri, Optional.of(ca));

            // when the options are built
            MqttConnectionOptions o = ConnectOptions.of(s);

            // then the CA's socket factory and host name verification are used
            assertThat(o.getSocketFactory()).as(uri).isInstanceOf(javax.net.ssl.SSLSocketFactory.class);
            assertThat(o.isHttpsHostnameVerificationEnabled()).as(uri).isTrue();
        }
    }

    @Test
    void leavesTheJdkDefaultsForSslWithoutACa() {
        MqttConnectionOptions o = ConnectOptions.of(settings("ssl://broker.example:8883", Optional.empty()));

        assertThat(o.getSocketFactory()).isNull();
    }

    @Test
    void announcesNoTopicAliasesAndAReceiveMaximumWithRoomForControlMessages() {
        // when the options are built for a telemetry window of 10
        MqttConnectionOptions o = ConnectOptions.of(settings("tcp://127.0.0.1:1883", Optional.empty()));

        // then the broker may not alias topics towards the agent, and may send telemetry-window + control messages
        assertThat(o.getTopicAliasMaximum()).isZero();
        assertThat(o.getReceiveMaximum()).isEqualTo(10 + MqttSession.CONTROL_IN_FLIGHT);
        // and the persistent-session contract holds
        assertThat(o.isCleanStart()).isFalse();
        assertThat(o.isAutomaticReconnect()).isFalse();
        assertThat(o.getSessionExpiryInterval()).isEqualTo(Duration.ofDays(7).toSeconds());
    }

    @Test
    void turnsOffPahosOutgoingTopicAliasesWhateverTheBrokerAllows() throws Exception {
        // given a Paho client whose connection state says the broker allows 10 outgoing aliases (as a CONNACK would)
        MqttAsyncClient client = new MqttAsyncClient("tcp://127.0.0.1:1883", "pi-test-01", new MemoryPersistence());
        OutgoingTopicAliases aliases = OutgoingTopicAliases.of(client);
        java.lang.reflect.Field f = MqttAsyncClient.class.getDeclaredField("mqttConnection");
        f.setAccessible(true);
        ((org.eclipse.paho.mqttv5.client.internal.MqttConnectionState) f.get(client)).setOutgoingTopicAliasMaximum(10);
        assertThat(aliases.effectiveMaximum()).isEqualTo(10);

        // when the session disables them after the CONNACK
        aliases.disable();

        // then Paho uses none
        assertThat(aliases.effectiveMaximum()).isZero();
        client.close(true);
    }
}
