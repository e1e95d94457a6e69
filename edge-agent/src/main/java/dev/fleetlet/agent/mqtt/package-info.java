/**
 * The MQTT v5 session: {@link dev.fleetlet.agent.mqtt.MqttSession} connects with the enrolled
 * credentials, keeps the Will/birth/shutdown presence contract, reconnects with jittered back-off on its
 * own thread, and hands incoming desired-state and command messages plus connect/disconnect events to its
 * listeners (telemetry publisher, state and command handlers).
 */
package dev.fleetlet.agent.mqtt;
