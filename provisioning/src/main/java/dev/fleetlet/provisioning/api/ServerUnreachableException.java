package dev.fleetlet.provisioning.api;

/** No HTTP answer: connection refused, DNS failure, TLS handshake failure, or timeout. */
public class ServerUnreachableException extends RuntimeException {

    public ServerUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
