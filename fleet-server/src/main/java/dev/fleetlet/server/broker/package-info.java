/**
 * The embedded MQTT broker (HiveMQ CE) and the ports around it.
 *
 * <p>Data flow: {@link dev.fleetlet.server.broker.FleetBroker} starts the broker with the context, from
 * a {@code config.xml} it generates out of {@link dev.fleetlet.server.broker.BrokerSettings}. Every
 * CONNECT is checked against the {@link dev.fleetlet.server.broker.ClientDirectory} (implemented by the
 * core); the client gets the protocol ACL as default permissions, default DENY. Every PUBLISH from a
 * client first passes the extension's inbound interceptor, which runs <em>before</em> the broker's own
 * authorization and therefore enforces the same ACL itself, decodes the payload by topic kind, and:
 * hands telemetry to the {@link dev.fleetlet.server.broker.TelemetrySink}, holding the PUBACK until
 * the database commit; reports presence to the {@link dev.fleetlet.server.broker.PresenceListener};
 * completes commands sent through the {@link dev.fleetlet.server.broker.DevicePublisher}. Refused
 * publishes are counted ({@code fleetlet.mqtt.messages.rejected}) and answered with an MQTT 5 reason
 * code. The server publishes desired state and commands in-process, without an MQTT connection.
 * Credential checks run on a sized pool with their own deadline ({@code fleetlet.mqtt.auth-timeout}); each
 * CONNECT gets exactly one decision. {@link dev.fleetlet.server.broker.DecommissionedSessions} disconnects a
 * decommissioned device and removes its retained desired state.
 */
package dev.fleetlet.server.broker;
