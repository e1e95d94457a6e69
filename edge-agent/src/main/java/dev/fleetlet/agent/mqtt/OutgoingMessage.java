package dev.fleetlet.agent.mqtt;

import java.util.Objects;

/**
 * One message the agent publishes.
 *
 * @param topic           the MQTT topic
 * @param payload         the encoded payload (JSON; sent with payload format indicator 1 and content type
 *                        {@code application/json})
 * @param qos             0 or 1
 * @param retained        the retain flag (allowed only on {@code presence} and {@code state/reported})
 * @param correlationData MQTT v5 correlation data copied from a request, or null
 */
public record OutgoingMessage(String topic, byte[] payload, int qos, boolean retained, byte[] correlationData) {

    public OutgoingMessage {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        if (qos < 0 || qos > 1) {
            throw new IllegalArgumentException("qos: expected 0 or 1, got " + qos);
        }
    }

    /** A QoS 1 message without correlation data. */
    public static OutgoingMessage qos1(String topic, byte[] payload, boolean retained) {
        return new OutgoingMessage(topic, payload, 1, retained, null);
    }
}
