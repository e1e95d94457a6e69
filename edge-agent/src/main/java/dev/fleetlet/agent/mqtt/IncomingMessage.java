package dev.fleetlet.agent.mqtt;

import java.util.Objects;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A message delivered on one of the device's subscriptions, with the MQTT v5 request/response
 * properties the command protocol needs. Independent of Paho so that handlers can be tested without it.
 *
 * @param topic           the topic it arrived on
 * @param payload         the raw payload (possibly empty, possibly oversized: handlers check)
 * @param retained        whether the broker delivered it as a retained message
 * @param responseTopic   the MQTT v5 Response Topic property, or null
 * @param correlationData the MQTT v5 Correlation Data property, or null
 */
public record IncomingMessage(String topic, byte[] payload, boolean retained, String responseTopic,
                              byte[] correlationData) {

    public IncomingMessage {
        Objects.requireNonNull(topic, "topic");
        payload = payload == null ? new byte[0] : payload;
    }

    /** Copies what the agent needs out of a Paho message. */
    public static IncomingMessage of(String topic, MqttMessage message) {
        MqttProperties p = message.getProperties();
        return new IncomingMessage(topic, message.getPayload(), message.isRetained(),
                p == null ? null : p.getResponseTopic(), p == null ? null : p.getCorrelationData());
    }
}
