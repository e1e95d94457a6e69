package dev.fleetlet.protocol.app;

import java.util.Objects;

/**
 * One reason an app spec was refused.
 *
 * @param path    the key path in the document: {@code services.web.mem_limit}, {@code services.db.volumes[0]},
 *                or {@code ""} for the whole document
 * @param message what is wrong and what was expected
 */
public record Problem(String path, String message) {

    public Problem {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    /** {@code services.web.mem_limit: expected a byte size like 64m or 1g, was "lots"}. */
    @Override
    public String toString() {
        return path.isEmpty() ? message : path + ": " + message;
    }
}
