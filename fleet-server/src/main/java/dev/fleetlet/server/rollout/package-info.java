/**
 * The rollout engine's pure core: which devices a release goes to, in which order, and what to do next.
 *
 * <p>Flow: {@link dev.fleetlet.server.rollout.TargetResolver} turns registry snapshots
 * ({@link dev.fleetlet.server.rollout.DeviceSnapshot}) and a {@link dev.fleetlet.server.rollout.Target}
 * (selector, release, required capabilities; pins come from the devices) into included devices and an
 * {@link dev.fleetlet.server.rollout.Explanation} per device. {@code plan.WavePlanner} spreads them over
 * canary and waves and forecasts the duration; {@link dev.fleetlet.server.rollout.RolloutState#draft} makes
 * the persisted state. From then on the caller loops: collect {@link dev.fleetlet.server.rollout.Observation}s
 * (normalised reported states, {@code update.*} events, presence) and operator
 * {@link dev.fleetlet.server.rollout.Command}s, call
 * {@link dev.fleetlet.server.rollout.RolloutController#step}, persist the returned state, perform the
 * {@link dev.fleetlet.server.rollout.Effect}s (desired-state publishes, holds, rollbacks, audit lines).
 * {@link dev.fleetlet.server.rollout.FleetRollback} builds a new rollout that takes the changed devices back.
 *
 * <p>No I/O, no clock, no framework here: persistence, the database lock (one writer per rollout), the
 * broker and REST live in the callers. Semantics for operators: {@code docs/rollouts.md}.
 */
package dev.fleetlet.server.rollout;
