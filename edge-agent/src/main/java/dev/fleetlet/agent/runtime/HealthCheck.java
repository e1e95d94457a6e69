package dev.fleetlet.agent.runtime;

import java.time.Duration;
import java.util.List;

/**
 * A health probe run inside the container (compose {@code healthcheck}), through {@code runc exec}
 * with the container's own environment, user and working directory. Compose's {@code CMD-SHELL cmd}
 * becomes {@code ["/bin/sh", "-c", cmd]} (see {@link #shell}); {@code CMD a b} becomes {@code ["a", "b"]}.
 *
 * <p>Semantics (as compose): the first probe runs {@code interval} after the container started, each
 * next one {@code interval} after the previous one ended. A probe that exits 0 makes the container
 * {@link Health#HEALTHY}; one that exits non-zero, cannot be executed or runs longer than
 * {@code timeout} (it is then killed) is a failure; {@code retries} consecutive failures make it
 * {@link Health#UNHEALTHY}. Failures during {@code startPeriod} after a (re)start do not count, a
 * success during it does. An unhealthy container is reported, not restarted: what to do is the
 * release layer's choice.
 *
 * @param command     argv of the probe, non-empty
 * @param interval    time between probes, &gt; 0
 * @param timeout     longest a probe may run, &gt; 0
 * @param retries     consecutive failures before UNHEALTHY, &ge; 1
 * @param startPeriod grace after each start during which failures are not counted, &ge; 0
 */
public record HealthCheck(List<String> command, Duration interval, Duration timeout, int retries, Duration startPeriod) {

    public HealthCheck {
        if (command == null || command.isEmpty()) {
            throw new IllegalArgumentException("healthcheck.command must not be empty");
        }
        requirePositive("healthcheck.interval", interval);
        requirePositive("healthcheck.timeout", timeout);
        if (retries < 1) {
            throw new IllegalArgumentException("healthcheck.retries must be >= 1, got " + retries);
        }
        if (startPeriod == null || startPeriod.isNegative()) {
            throw new IllegalArgumentException("healthcheck.startPeriod must be >= 0, got " + startPeriod);
        }
        command = List.copyOf(command);
    }

    /** Compose's {@code CMD-SHELL cmd}: the probe runs {@code /bin/sh -c cmd}. */
    public static HealthCheck shell(String cmd, Duration interval, Duration timeout, int retries, Duration startPeriod) {
        return new HealthCheck(List.of("/bin/sh", "-c", cmd), interval, timeout, retries, startPeriod);
    }

    private static void requirePositive(String field, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(field + " must be > 0, got " + d);
        }
    }
}
