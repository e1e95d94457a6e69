/**
 * Rollout plans and their arithmetic: {@link dev.fleetlet.server.rollout.plan.RolloutPlan} (canary, waves,
 * concurrency, soak, timeout, thresholds, breach action, maintenance windows) validated with errors naming
 * the field; {@link dev.fleetlet.server.rollout.plan.WavePlanner} splits device ids into groups in a
 * deterministic, spread order and forecasts the duration; {@link dev.fleetlet.server.rollout.plan.Threshold}
 * holds the breach rule; {@link dev.fleetlet.server.rollout.plan.Format} the locale-independent numbers of the
 * audit log. Pure functions over records.
 */
package dev.fleetlet.server.rollout.plan;
