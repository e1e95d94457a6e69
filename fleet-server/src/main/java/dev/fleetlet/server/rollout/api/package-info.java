/**
 * REST ({@code /api/v1/rollouts}) and SSE ({@code rollout.*} events on the event bus) for rollouts: requests go
 * to {@link dev.fleetlet.server.rollout.engine.RolloutService}, reads to
 * {@link dev.fleetlet.server.rollout.engine.RolloutQueries}; {@link dev.fleetlet.server.rollout.api.RolloutEventRelay}
 * turns engine notifications into events.
 */
package dev.fleetlet.server.rollout.api;
