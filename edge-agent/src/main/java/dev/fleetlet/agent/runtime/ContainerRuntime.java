package dev.fleetlet.agent.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Port: runs containers from {@link ContainerSpec}s. The production implementation is
 * {@link RuncContainerRuntime}; planner and executor tests use a hand-written fake.
 *
 * <p>Containers are identified by their spec id, unique among present containers. They outlive the
 * runtime object (and the agent process): a runtime constructed later on the same root {@link #list}s
 * them and {@link #adopt}s them. Logs go to size-bounded files owned by the runtime. Failures of the
 * underlying tool surface as {@link dev.fleetlet.agent.hostcmd.HostCommandException} carrying its stderr;
 * misuse (starting an id twice, asking about an unknown id) as {@link IllegalStateException}.
 */
public interface ContainerRuntime {

    /** What the runtime recorded when it created a container (kept next to it, survives agent restarts). */
    record ContainerInfo(String id, String specHash, Instant createdAt) {
    }

    /** A command started inside a running container by {@link #exec}. */
    interface ExecHandle {
        /** The exit code once the command ended; empty while it runs. */
        Optional<Integer> exitCode();

        /** Kills the command (SIGKILL to its process inside the container). No-op when it ended. */
        void kill();
    }

    /** Generates the bundle and starts the container; returns when it is running (or already exited). */
    void start(ContainerSpec spec);

    /**
     * The container's status, empty when the id is not present. Works for containers started by an earlier
     * runtime on the same root too; one that exited while nobody watched is EXITED, with a null exit code when
     * the code could not be recorded.
     */
    Optional<ContainerStatus> status(String id);

    /** Waits up to {@code timeout} for the container to exit; returns its exit code if it did (and it is known). */
    Optional<Integer> awaitExit(String id, Duration timeout);

    /** SIGTERM, then SIGKILL to every process after {@code grace}. No-op when already exited. */
    void stop(String id, Duration grace);

    /** Kills if needed and deletes the container, its cgroup and bundle. Logs are kept. Idempotent. */
    void remove(String id);

    /** Current CPU, memory and pids figures from the container's cgroup. */
    CgroupStats stats(String id);

    /** Ids of containers present, running or exited: started by this runtime or found on its root. */
    List<String> list();

    /** The creation record of a present container; empty when unknown or created without one. */
    Optional<ContainerInfo> info(String id);

    /**
     * The hash a container created from {@code spec} would be recorded with ({@link ContainerInfo#specHash()}):
     * equal hashes mean the same container configuration.
     */
    String specHash(ContainerSpec spec);

    /**
     * Resumes status tracking and log capture of a present container started by an earlier runtime (a no-op
     * for one this runtime tracks already) and returns its status. {@link IllegalStateException} when absent.
     */
    ContainerStatus adopt(String id);

    /**
     * Starts {@code command} inside the running container with its environment, user and working directory,
     * output discarded. {@link IllegalStateException} when the container is not running.
     */
    ExecHandle exec(String id, List<String> command);

    /**
     * Stops tracking and log capture without touching any container (agent shutdown): they keep running and a
     * later runtime on the same root adopts them. Output they write meanwhile waits in their pipes.
     */
    void detach();
}
