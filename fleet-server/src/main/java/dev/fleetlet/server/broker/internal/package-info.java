/**
 * The broker extension's parts: authenticator, inbound publish interceptor, lifecycle listener, pending
 * commands, the config.xml renderer and the MQTT meters. Only {@link dev.fleetlet.server.broker.FleetBroker}
 * wires them.
 */
package dev.fleetlet.server.broker.internal;
