package dev.fleetlet.server.db;

/** A unique or primary-key constraint refused a row (SQLState 23505 on H2 and PostgreSQL). */
public class DuplicateKeyException extends DataAccessException {

    private static final long serialVersionUID = 1L;

    public DuplicateKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
