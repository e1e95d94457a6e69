package dev.fleetlet.agent;

import dev.fleetlet.agent.command.CommandDispatcher;
import dev.fleetlet.agent.mqtt.IncomingMessage;
import dev.fleetlet.agent.mqtt.MqttSession;
import dev.fleetlet.agent.state.StateReconciler;
import dev.fleetlet.protocol.Topics;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects the MQTT session to the state and command handlers: {@code state/desired} messages go to the
 * {@link StateReconciler}, {@code commands/req} messages to the {@link CommandDispatcher} (both queue the work
 * on their own threads and return at once), and after every connect the reconciler republishes the reported
 * state and the pending events.
 */
public final class MessageRouter implements MqttSession.Listener {

    private static final Logger log = LoggerFactory.getLogger(MessageRouter.class);

    private final String desiredTopic;
    private final String commandTopic;
    private final StateReconciler reconciler;
    private final CommandDispatcher commands;

    public MessageRouter(String deviceId, StateReconciler reconciler, CommandDispatcher commands) {
        this.desiredTopic = Topics.desiredState(deviceId);
        this.commandTopic = Topics.commandRequests(deviceId);
        this.reconciler = reconciler;
        this.commands = commands;
    }

    @Override
    public void connected() {
        reconciler.onConnected();
    }

    @Override
    public void message(String topic, MqttMessage message) {
        IncomingMessage in = IncomingMessage.of(topic, message);
        if (desiredTopic.equals(topic)) {
            reconciler.onMessage(in);
        } else if (commandTopic.equals(topic)) {
            commands.onMessage(in);
        } else {
            log.warn("message on an unexpected topic ignored topic={} bytes={}", topic, in.payload().length);
        }
    }
}
