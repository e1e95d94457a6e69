/**
 * Implementation of the simulator: REST enrollment with bounded concurrency and retries
 * ({@code Enroller}), one MQTT 5 client per device on the shared event loop ({@code SimulatedDevice}),
 * deterministic signal generators ({@code SignalModel}), jittered back-off and a non-blocking
 * concurrency limiter for the connect ramp.
 */
package dev.fleetlet.hil.sim.internal;
