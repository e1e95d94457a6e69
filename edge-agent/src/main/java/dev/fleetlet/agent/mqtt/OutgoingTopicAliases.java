package dev.fleetlet.agent.mqtt;

import java.lang.reflect.Field;
import java.util.Optional;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.internal.MqttConnectionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps Paho from using outgoing Topic Aliases. Paho (1.2.x) aliases every topic as soon as the broker's CONNACK
 * announces a Topic Alias Maximum above 0 and offers no option to turn that off; after a broker restart it re-sends
 * an in-flight QoS 1 PUBLISH that carried only the alias, which the new connection cannot resolve (a protocol error
 * that drops the connection, again and again). The agent's topics are short, so aliases save nothing worth that:
 * after every CONNACK, before the session publishes anything, {@link #disable()} sets the connection's outgoing
 * alias maximum back to 0, so every PUBLISH carries its topic name.
 *
 * <p>Paho keeps that value in a private field of the client; when a later Paho no longer has it, the handle is
 * empty, an error is logged once at start and the agent then relies on brokers announcing Topic Alias Maximum 0.
 */
final class OutgoingTopicAliases {

    private static final Logger log = LoggerFactory.getLogger(OutgoingTopicAliases.class);

    private final Optional<MqttConnectionState> state;

    private OutgoingTopicAliases(Optional<MqttConnectionState> state) {
        this.state = state;
    }

    static OutgoingTopicAliases of(MqttAsyncClient client) {
        try {
            Field f = MqttAsyncClient.class.getDeclaredField("mqttConnection");
            f.setAccessible(true);
            return new OutgoingTopicAliases(Optional.of((MqttConnectionState) f.get(client)));
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.error("cannot turn off outgoing MQTT topic aliases in this Paho version error={}", e.toString());
            return new OutgoingTopicAliases(Optional.empty());
        }
    }

    /** Call after CONNACK and before the first publish of the connection. */
    void disable() {
        state.ifPresent(s -> s.setOutgoingTopicAliasMaximum(0));
    }

    /** The outgoing alias maximum Paho will use (0 = none), or -1 when it cannot be read. */
    int effectiveMaximum() {
        return state.map(s -> s.getOutgoingTopicAliasMaximum() == null ? 0 : s.getOutgoingTopicAliasMaximum())
                .orElse(-1);
    }
}
