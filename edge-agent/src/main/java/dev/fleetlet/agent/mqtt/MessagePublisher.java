package dev.fleetlet.agent.mqtt;

import java.util.concurrent.CompletableFuture;

/**
 * The port through which state, event, command-response and log publishers send. {@link MqttSession}
 * implements it; tests use a fake that records publishes.
 */
public interface MessagePublisher {

    /**
     * Publishes one message. Never throws: a session that is down, an interrupted caller or a broker
     * refusal (e.g. PUBACK 0x99) completes the future exceptionally.
     *
     * @return completes on PUBACK (QoS 1) or once written (QoS 0)
     */
    CompletableFuture<Void> publish(OutgoingMessage message);

    /** Whether a publish now has a chance to reach the broker. */
    boolean isConnected();
}
