package dev.fleetlet.agent.runtime;

/**
 * Restart rule from compose: {@code no} ({@link RestartPolicy#NEVER}), {@code always},
 * {@code on-failure[:max]} and {@code unless-stopped}. {@code maxRetries} only applies to
 * {@link RestartPolicy#ON_FAILURE}: after that many restarts the next failure leaves the container
 * EXITED with a {@code lastError}; null means unlimited. Back-off between restarts comes from the
 * supervisor's {@link RestartBackoff} settings.
 */
public record RestartRule(RestartPolicy policy, Integer maxRetries) {

    public RestartRule {
        if (policy == null) {
            throw new IllegalArgumentException("restart.policy must be set");
        }
        if (maxRetries != null && (maxRetries < 0 || policy != RestartPolicy.ON_FAILURE)) {
            throw new IllegalArgumentException("restart.maxRetries must be >= 0 and only goes with on-failure, got "
                    + policy + ":" + maxRetries);
        }
    }

    public static RestartRule of(RestartPolicy policy) {
        return new RestartRule(policy, null);
    }

    public static RestartRule onFailure(int maxRetries) {
        return new RestartRule(RestartPolicy.ON_FAILURE, maxRetries);
    }
}
