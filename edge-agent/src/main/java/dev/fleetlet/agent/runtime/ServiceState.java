package dev.fleetlet.agent.runtime;

import java.time.Instant;

/**
 * What the {@link Supervisor} knows of one supervised container, as an immutable snapshot.
 *
 * @param id           the container id (the spec's id)
 * @param state        lifecycle state, see {@link State}
 * @param health       {@link Health#NONE} when the container has no health check
 * @param restarts     how many times the supervisor restarted it since {@code supervise} (0 after an adoption)
 * @param lastExitCode exit code of the last exit (128+signal when killed); null when it never exited or
 *                     the code is unknowable (it exited while no agent ran and its shim was gone)
 * @param oomKilled    the last exit was the kernel's OOM killer (exit 137 with an OOM event in its cgroup)
 * @param startedAt    when the current (or last) run started
 * @param lastError    why it is not running as asked (start failure, OOM, retries exhausted), or null
 */
public record ServiceState(String id, State state, Health health, int restarts, Integer lastExitCode,
                           boolean oomKilled, Instant startedAt, String lastError) {

    /** Lifecycle of a supervised container. */
    public enum State {
        /** Accepted, not started yet. */
        CREATED,
        /** Its process runs. */
        RUNNING,
        /** It exited and a restart is scheduled (back-off running). */
        RESTARTING,
        /** It exited (or failed to start) and the restart rule says not to start it again. */
        EXITED,
        /** Released: stopped on request and removed. */
        STOPPED
    }
}
