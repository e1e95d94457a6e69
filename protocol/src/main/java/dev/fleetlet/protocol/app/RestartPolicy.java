package dev.fleetlet.protocol.app;

import java.util.Objects;

/**
 * When the agent restarts a service whose process exited.
 *
 * @param mode       the policy
 * @param maxRetries for {@link Mode#ON_FAILURE} only: the retry limit, or null for unlimited
 */
public record RestartPolicy(Mode mode, Integer maxRetries) {

    /** Compose's {@code restart: no}; the default when the key is absent. */
    public static final RestartPolicy NO = new RestartPolicy(Mode.NO, null);

    public RestartPolicy {
        Objects.requireNonNull(mode, "mode");
        if (maxRetries != null && (mode != Mode.ON_FAILURE || maxRetries < 0)) {
            throw new IllegalArgumentException("maxRetries applies to on-failure only and must be >= 0");
        }
    }

    /** Restart modes, spelled as in Compose. */
    public enum Mode {
        NO("no"), ALWAYS("always"), ON_FAILURE("on-failure"), UNLESS_STOPPED("unless-stopped");

        private final String wire;

        Mode(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    /** The Compose spelling: {@code no}, {@code always}, {@code on-failure}, {@code on-failure:5}, {@code unless-stopped}. */
    public String wire() {
        return maxRetries == null ? mode.wire() : mode.wire() + ":" + maxRetries;
    }
}
