package dev.fleetlet.agent.hostcmd;

import java.util.List;

/** A host tool failed: the command line, its exit code (-1 when it never finished) and its error output. */
public class HostCommandException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public HostCommandException(List<String> command, int exitCode, String stderr) {
        super(String.join(" ", command) + " failed (exit " + exitCode + "): " + stderr);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
