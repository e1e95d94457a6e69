/**
 * Desired state per device, pins, and what devices report back.
 *
 * <p>Out: {@link dev.fleetlet.server.desired.DesiredStateService} bumps a device's generation in
 * {@code device_desired_state} (joining the caller's transaction, so the rollout engine records a dispatch in
 * the same commit), then publishes the retained desired state through the broker's
 * {@link dev.fleetlet.server.broker.DevicePublisher}, release content from the
 * {@link dev.fleetlet.server.rollout.ReleaseCatalog}. {@link dev.fleetlet.server.desired.PinService} pins a
 * device to a release ({@code device_pins}) and assigns it at once.
 *
 * <p>In: the broker hands reported states and device events to
 * {@link dev.fleetlet.server.desired.ReportedStateIntake} (a {@link dev.fleetlet.server.broker.DeviceStateSink});
 * one writer thread stores them in batches ({@code device_reported_state}, {@code device_events} de-duplicated by
 * (device, seq)), puts them on the event bus, and hands rollout observations
 * ({@link dev.fleetlet.server.desired.ObservationMapping}) to the rollout engine.
 */
package dev.fleetlet.server.desired;
