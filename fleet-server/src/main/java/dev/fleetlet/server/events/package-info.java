/**
 * The device event bus: features (enrollment, registry, presence; later the broker, telemetry and rollouts)
 * call {@link dev.fleetlet.server.events.EventBus#publish}, which stores events naming a device in
 * {@code device_events} and multicasts them to live subscribers; {@code GET /api/v1/events/stream} relays them
 * as server-sent events and {@code GET /api/v1/devices/{id}/events} pages through the stored history.
 */
package dev.fleetlet.server.events;
