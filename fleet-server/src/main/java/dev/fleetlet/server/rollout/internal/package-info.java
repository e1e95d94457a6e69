/**
 * Implementation details of the rollout controller: per-device transition rules (observations and timers),
 * gate audit text, selector rendering for explanations. Not for use outside {@code dev.fleetlet.server.rollout}.
 */
package dev.fleetlet.server.rollout.internal;
