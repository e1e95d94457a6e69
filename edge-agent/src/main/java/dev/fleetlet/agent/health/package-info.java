/**
 * Device health for the reported state. Data flow: a timer calls {@link
 * dev.fleetlet.agent.health.PeriodicHealthReport#tick()} → samples the running release's services (cgroup
 * stats) and {@link dev.fleetlet.agent.health.SystemHealthReader} (disk of the data directory,
 * {@code /proc/meminfo}, thermal zone 0, uptime, Raspberry Pi under-voltage and throttle flags) → {@link
 * dev.fleetlet.agent.health.HealthChange} decides if it moved enough → {@link
 * dev.fleetlet.agent.state.StateReporter#refresh} re-publishes the last report with the new figures, at most
 * once a minute. Every report the reconciler sends also carries the latest system health.
 */
package dev.fleetlet.agent.health;
