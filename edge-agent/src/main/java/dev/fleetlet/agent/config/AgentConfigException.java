package dev.fleetlet.agent.config;

import java.util.List;

/**
 * An agent configuration or provisioning file is invalid. Every problem starts with the key path it is
 * about and says what was expected and what was found, e.g.
 * {@code telemetry.batchSize: expected an integer from 1 to 500, got 0}. All problems of one file are
 * reported together.
 */
public final class AgentConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public AgentConfigException(String what, List<String> problems) {
        super(problems.size() == 1 ? "invalid " + what + ": " + problems.get(0)
                : "invalid " + what + " (" + problems.size() + " problems):\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem as {@code key.path: message}. */
    public List<String> problems() {
        return problems;
    }
}
