package dev.fleetlet.server.api;

import java.util.List;

/**
 * A refusal the API reports to the caller: an {@link ErrorCode}, a human detail (never containing a secret)
 * and optional per-field errors. Thrown by services and controllers; rendered by {@link ProblemHandler}.
 */
public class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final transient List<Problem.FieldError> errors;

    public ApiException(ErrorCode code, String detail) {
        this(code, detail, List.of());
    }

    public ApiException(ErrorCode code, String detail, List<Problem.FieldError> errors) {
        super(detail);
        this.code = code;
        this.errors = List.copyOf(errors);
    }

    /** A single-field problem. */
    public static ApiException field(ErrorCode code, String field, String message) {
        return new ApiException(code, field + ": " + message, List.of(new Problem.FieldError(field, message)));
    }

    public ErrorCode code() {
        return code;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }
}
