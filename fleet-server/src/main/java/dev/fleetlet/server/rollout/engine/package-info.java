/**
 * The durable rollout engine around the pure core of {@code dev.fleetlet.server.rollout}.
 *
 * <p>{@link dev.fleetlet.server.rollout.engine.RolloutService} validates requests
 * ({@link dev.fleetlet.server.rollout.engine.PlanJson}), targets devices
 * ({@link dev.fleetlet.server.rollout.engine.DeviceSnapshots}) and stores DRAFT rollouts and operator commands
 * ({@link dev.fleetlet.server.rollout.engine.RolloutStore}). {@link dev.fleetlet.server.rollout.engine.RolloutEngine}
 * holds a database lease per rollout, steps each with the commands and observations since its last step, and
 * commits state, audit, command outcomes and desired-state generations before publishing (in parts of
 * {@code StepParts.PART_SIZE} dispatches when a step dispatches more; each part publishes after its commit).
 * {@link dev.fleetlet.server.rollout.engine.RolloutQueries} answers the read side.
 */
package dev.fleetlet.server.rollout.engine;
