package dev.fleetlet.drivers.config;

import java.util.List;

/**
 * Thrown when a board configuration is invalid. Every problem names the key path it is about, the
 * value found and what was expected, e.g. {@code sensors[2].address: expected 0x76 or 0x77, got 0x10}.
 * All problems found in one pass are reported together, so a user fixes the file in one go.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(problems.size() == 1
                ? "invalid board configuration: " + problems.get(0)
                : "invalid board configuration (" + problems.size() + " problems):\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem as {@code key.path: message}, in the order found. */
    public List<String> problems() {
        return problems;
    }
}
