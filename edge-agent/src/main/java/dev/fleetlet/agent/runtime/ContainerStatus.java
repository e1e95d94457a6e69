package dev.fleetlet.agent.runtime;

import java.time.Instant;

/**
 * What the runtime knows about a container it started. {@code exitCode} is null while running;
 * {@code runtimeError} is set when the runtime itself failed (e.g. the entrypoint could not be
 * executed) rather than the container's process exiting.
 */
public record ContainerStatus(String id, State state, Integer exitCode, Instant startedAt, Instant finishedAt,
                              String runtimeError) {

    /** Lifecycle as seen by the agent. */
    public enum State { RUNNING, EXITED }

    /** Exit 137 (SIGKILL), which is how the kernel's OOM killer ends a container's init. */
    public boolean killedBySigkill() {
        return exitCode != null && exitCode == 137;
    }
}
