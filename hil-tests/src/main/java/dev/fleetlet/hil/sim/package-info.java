/**
 * The fleet simulator: many simulated boards in one JVM speaking the real Fleetlet protocol.
 *
 * <p>Data flow: {@link dev.fleetlet.hil.sim.SimulatorConfig} → {@link dev.fleetlet.hil.sim.FleetSimulator}
 * enrolls each device over REST (or skips enrollment against a bare broker), connects it through a
 * bounded connect ramp on one shared Netty event loop, then a single ticker thread makes every device
 * publish a telemetry batch per interval. Inbound commands are answered on the MQTT client's callback
 * threads; each new desired state goes to the device's release state machine, which reports applying and,
 * after a jittered apply time on the ticker thread, applied or rolled back (or nothing) as the device's
 * {@link dev.fleetlet.hil.sim.ReleaseBehaviour} profile says. {@link dev.fleetlet.hil.sim.SimulatorCounters} counts every step; the
 * command line is {@link dev.fleetlet.hil.sim.SimulatorCli}.
 */
package dev.fleetlet.hil.sim;
