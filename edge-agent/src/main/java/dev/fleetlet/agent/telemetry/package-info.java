/**
 * Telemetry: a {@link dev.fleetlet.agent.telemetry.ReadingSource} (the device-drivers sampler through
 * {@link dev.fleetlet.agent.telemetry.DriverReadings}) feeds the
 * {@link dev.fleetlet.agent.telemetry.TelemetryBatcher}, which writes every batch to the store-and-forward
 * queue first; the {@link dev.fleetlet.agent.telemetry.TelemetryPublisher} publishes from the queue head
 * in order with QoS 1 and advances the queue cursor only on PUBACK.
 */
package dev.fleetlet.agent.telemetry;
