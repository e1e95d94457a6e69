/**
 * Desired and reported state. Data flow: {@code state/desired} payload → {@link
 * dev.fleetlet.agent.state.StateReconciler} (size, codec, device id, generation checks) → {@link
 * dev.fleetlet.agent.state.DesiredStateStore} (atomic, checksummed, previous copy kept) → pure {@link
 * dev.fleetlet.agent.state.Planner} ({@link dev.fleetlet.agent.state.CurrentState} + desired → {@link
 * dev.fleetlet.agent.state.Step}s) → {@link dev.fleetlet.agent.state.Executor} (step journal, config overlay,
 * {@link dev.fleetlet.agent.state.ReleaseRuntime} port, applied-state file) → events and the retained
 * reported state ({@link dev.fleetlet.agent.state.StateReporter}). At startup the reconciler acts on the
 * persisted desired state before the broker is reachable.
 */
package dev.fleetlet.agent.state;
