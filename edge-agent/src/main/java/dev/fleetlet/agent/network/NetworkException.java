package dev.fleetlet.agent.network;

/** A network could not be set up or torn down; {@link #reason()} says what kind of failure, the message says why. */
public final class NetworkException extends RuntimeException {

    /** The kinds of failure a caller may want to tell apart. */
    public enum Reason {
        /** A CNI plugin executable is missing; install {@code containernetworking-plugins}. */
        MISSING_PLUGIN,
        /** The subnet has no free address left. */
        SUBNET_EXHAUSTED,
        /** A plugin reported an error or produced output that is not a CNI result. */
        PLUGIN_FAILED,
        /** Creating, finding or removing the network namespace failed. */
        NAMESPACE,
        /** Bad input, e.g. an app name that cannot name a namespace. */
        INVALID
    }

    private final Reason reason;

    public NetworkException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public NetworkException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
