package dev.fleetlet.agent.runtime;

import java.time.Instant;

/** What the runtime knows about a container it started. {@code exitCode} is null while running. */
public record ContainerStatus(String id, State state, Integer exitCode, Instant startedAt, Instant finishedAt) {

    /** Lifecycle as seen by the agent. */
    public enum State { RUNNING, EXITED }

    /** Exit 137 (SIGKILL), which is how the kernel's OOM killer ends a container's init. */
    public boolean killedBySigkill() {
        return exitCode != null && exitCode == 137;
    }
}
