package dev.fleetlet.protocol.app;

import java.util.Optional;

/**
 * How the agent replaces the running release with a new one ({@code x-fleetlet.update_strategy}).
 * The default is {@link #DOWNLOAD_THEN_KILL}.
 */
public enum UpdateStrategy {
    /** Pull every image first, then stop the old services and start the new ones. Short downtime. */
    DOWNLOAD_THEN_KILL("download-then-kill"),
    /** Stop the old services, delete unused images to free space, pull, start. Longest downtime, least disk. */
    KILL_THEN_DOWNLOAD("kill-then-download"),
    /** Pull, start the new services next to the old ones, stop the old once the new are healthy. */
    HAND_OVER("hand-over");

    private final String wire;

    UpdateStrategy(String wire) {
        this.wire = wire;
    }

    /** The spelling used in the app spec. */
    public String wire() {
        return wire;
    }

    /** The strategy spelled {@code text}, or empty. */
    public static Optional<UpdateStrategy> fromWire(String text) {
        for (UpdateStrategy s : values()) {
            if (s.wire.equals(text)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
