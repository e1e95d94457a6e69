package dev.fleetlet.agent.runtime;

/** When a container that exited is started again. */
public enum RestartPolicy {
    /** Never restarted. */
    NEVER,
    /** Restarted when the exit code is non-zero. */
    ON_FAILURE,
    /** Restarted whatever the exit code. */
    ALWAYS;

    public boolean restarts(int exitCode) {
        return switch (this) {
            case NEVER -> false;
            case ON_FAILURE -> exitCode != 0;
            case ALWAYS -> true;
        };
    }
}
