/**
 * The device registry. Enrollment creates devices ({@link dev.fleetlet.server.device.DeviceRepository#insert});
 * the broker reports connects, births and deaths to {@link dev.fleetlet.server.device.PresenceTracker}, which
 * coalesces them per device (latest state wins, never dropped) and writes them off the broker threads in
 * batched transactions, publishing events for real transitions only; operators list (label selector + status), relabel, rename and
 * decommission through {@link dev.fleetlet.server.device.DeviceController} and
 * {@link dev.fleetlet.server.device.DeviceService}. Every change is published on the event bus and stored.
 * Decommissioning drops the secret hash, so the broker's {@code ClientDirectory} refuses the device afterwards,
 * and tells the {@link dev.fleetlet.server.device.DeviceService.DecommissionListener}s (credential cache, the
 * broker's session clean-up).
 *
 * <p>Server stop and start: {@link dev.fleetlet.server.device.ServerShutdown} runs on the shutdown event, while
 * the database is still open: broker stop, telemetry flush, queued presence written, then every device still
 * online marked offline ({@code server_shutdown}) in one statement. At start the tracker marks devices a
 * crashed run left online offline ({@code server_restart}) before the broker, which depends on it, accepts
 * clients.
 */
package dev.fleetlet.server.device;
