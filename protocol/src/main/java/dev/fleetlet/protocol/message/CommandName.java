package dev.fleetlet.protocol.message;

import java.util.Optional;

/**
 * The commands an agent of protocol v1 understands. The wire carries a string so that an agent can
 * answer an unknown command with {@code rejected} and a reason instead of failing to parse it.
 */
public enum CommandName {
    /** Answer at once; result carries the device time and uptime. */
    PING("ping"),
    /** Reboot the board after answering. */
    REBOOT("reboot"),
    /** Restart the agent process after answering. */
    RESTART_AGENT("restart-agent"),
    /** Blink the configured identify LED; args: {@code seconds}. */
    IDENTIFY("identify"),
    /** Stream recent log lines on {@code logs}; args: {@code source}, {@code lines}, {@code since}. */
    LOGS("logs"),
    /** Re-read the agent configuration file. */
    RELOAD_CONFIG("reload-config"),
    /** Restart one service of the running release; args: {@code service}. */
    RESTART_SERVICE("restart-service");

    private final String wire;

    CommandName(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** The command with this wire name, if agents of v1 know it. */
    public static Optional<CommandName> fromWire(String wire) {
        for (CommandName c : values()) {
            if (c.wire.equals(wire)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
