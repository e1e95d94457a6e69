/**
 * The MQTT v5 session: {@link dev.fleetlet.agent.mqtt.MqttSession} connects with the enrolled
 * credentials, keeps the Will/birth/shutdown presence contract, reconnects with jittered back-off on its
 * own thread, and hands incoming desired-state and command messages plus connect/disconnect events to its
 * listeners (telemetry publisher, and the state and command handlers through the agent's message router,
 * which copies what they need into an {@link dev.fleetlet.agent.mqtt.IncomingMessage}: payload, response
 * topic, correlation data). Outgoing state, events, command responses and log chunks go through the
 * {@link dev.fleetlet.agent.mqtt.MessagePublisher} port ({@link dev.fleetlet.agent.mqtt.OutgoingMessage},
 * optionally with correlation data), which the session implements and tests fake. The session splits the broker's
 * Receive Maximum into a telemetry and a control share ({@code InFlightWindow}), builds its CONNECT options in
 * {@code ConnectOptions} and keeps Paho from using outgoing topic aliases ({@code OutgoingTopicAliases}).
 */
package dev.fleetlet.agent.mqtt;
