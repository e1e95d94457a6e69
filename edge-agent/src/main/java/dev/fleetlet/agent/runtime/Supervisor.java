package dev.fleetlet.agent.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Starts, watches, restarts and health-checks containers; the release layer's only way to run them.
 * The production implementation is {@link RuncSupervisor}; release-layer tests use {@code FakeSupervisor}.
 *
 * <p>Containers outlive the agent: {@link #close()} stops supervising but leaves every container
 * running, and a supervisor constructed later on the same root finds them ({@link #unsupervised()})
 * and takes them over without restarting them ({@link #supervise} with the same spec).
 */
public interface Supervisor extends AutoCloseable {

    /**
     * Starts the container, or adopts a running one with the same id and spec hash (a different hash: stop and
     * replace). Returns when started (or failed to start: {@link ServiceState#lastError()} set, state EXITED; a
     * failed first start is not retried, the caller decides). An existing container with the same hash that
     * exited while nobody supervised it counts as an exit: {@code lastExitCode} is its code (null if unknowable)
     * and {@code restart} decides whether it runs again. Calling it again for a supervised id with the same
     * spec returns its state (taking the new rule and health check), unless it is EXITED: then it starts afresh;
     * with another spec it replaces the container.
     *
     * @param health nullable: no health check, {@link Health#NONE}
     */
    ServiceState supervise(ContainerSpec spec, RestartRule restart, HealthCheck health);

    /** Stops (SIGTERM, then SIGKILL after grace) and removes the container; stops supervising. Idempotent. Logs are kept. */
    void release(String id, Duration grace);

    /** The state of a supervised container; empty for ids not supervised (including released ones). */
    Optional<ServiceState> state(String id);

    /** States of all supervised containers. */
    List<ServiceState> states();

    /** Ids of containers present (running or not) that nobody supervises yet, e.g. found after an agent restart. */
    List<String> unsupervised();

    /** Current cgroup figures of a container (supervised or not); {@link IllegalStateException} when it has none. */
    CgroupStats stats(String id);

    /**
     * Registers a listener called with the new state on every state or health change (and restart), off the
     * caller's thread, one call at a time. Listeners must return quickly.
     */
    void addListener(Consumer<ServiceState> onChange);

    /**
     * Stops supervising without touching the containers: they keep running, their logs wait in their pipes
     * (see package documentation) until the next supervisor adopts them. This is what an agent shutdown does.
     */
    @Override
    void close();
}
