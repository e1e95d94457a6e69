package dev.fleetlet.server.db;

/** A database operation failed; the message is the driver's, the cause the {@link java.sql.SQLException}. */
public class DataAccessException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DataAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
