package dev.fleetlet.provisioning;

/** A command ends with this exit code and message (printed as {@code error: <message>}). */
final class CliFailure extends RuntimeException {

    private final int exitCode;

    CliFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
