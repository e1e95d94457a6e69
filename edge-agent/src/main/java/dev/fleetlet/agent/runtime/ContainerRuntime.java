package dev.fleetlet.agent.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Port: runs containers from {@link ContainerSpec}s. The production implementation is
 * {@link RuncContainerRuntime}; planner and executor tests use a hand-written fake.
 *
 * <p>Containers are identified by their spec id, unique among live containers. Logs go to
 * size-bounded files owned by the runtime. Failures of the underlying tool surface as
 * {@link dev.fleetlet.agent.hostcmd.HostCommandException} carrying its stderr; misuse (starting
 * an id twice, asking about an unknown id) as {@link IllegalStateException}.
 */
public interface ContainerRuntime {

    /** Generates the bundle and starts the container; returns when it is running (or already exited). */
    void start(ContainerSpec spec);

    /** The container's status, empty when the runtime does not know the id. */
    Optional<ContainerStatus> status(String id);

    /** Waits up to {@code timeout} for the container to exit; returns its exit code if it did. */
    Optional<Integer> awaitExit(String id, Duration timeout);

    /** SIGTERM, then SIGKILL to every process after {@code grace}. No-op when already exited. */
    void stop(String id, Duration grace);

    /** Kills if needed and deletes the container, its cgroup and bundle. Logs are kept. Idempotent. */
    void remove(String id);

    /** Current CPU, memory and pids figures from the container's cgroup. */
    CgroupStats stats(String id);

    /** Ids of containers the runtime currently knows. */
    List<String> list();
}
