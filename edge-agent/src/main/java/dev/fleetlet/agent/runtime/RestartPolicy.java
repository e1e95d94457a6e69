package dev.fleetlet.agent.runtime;

/** When a container that exited is started again. */
public enum RestartPolicy {
    /** Never restarted (compose {@code no}). */
    NEVER,
    /** Restarted when the exit code is non-zero (or unknown). */
    ON_FAILURE,
    /** Restarted whatever the exit code. */
    ALWAYS,
    /**
     * Restarted whatever the exit code, like {@link #ALWAYS}, unless it was stopped on purpose
     * ({@link Supervisor#release}); the supervisor never restarts a released container under any policy,
     * so on the board the two differ only in name.
     */
    UNLESS_STOPPED;

    public boolean restarts(int exitCode) {
        return switch (this) {
            case NEVER -> false;
            case ON_FAILURE -> exitCode != 0;
            case ALWAYS, UNLESS_STOPPED -> true;
        };
    }
}
