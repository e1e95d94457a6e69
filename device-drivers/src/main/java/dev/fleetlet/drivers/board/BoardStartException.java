package dev.fleetlet.drivers.board;

/**
 * The board refuses to start: the configured hardware does not match what was found (a {@code pi}
 * board that is not a supported Raspberry Pi, or Pi4J providers that turned out to be mocks). The
 * message says what was configured, what was found and how to fix it.
 */
public final class BoardStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BoardStartException(String message) {
        super(message);
    }

    public BoardStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
