package dev.fleetlet.agent.runtime;

/** A supervised container's health as judged by its {@link HealthCheck}. */
public enum Health {
    /** No health check configured. */
    NONE,
    /** A check is configured and has not yet succeeded nor failed {@code retries} times since the (re)start. */
    STARTING,
    /** The last probe succeeded. */
    HEALTHY,
    /** {@code retries} consecutive probes failed (after the start period). */
    UNHEALTHY
}
