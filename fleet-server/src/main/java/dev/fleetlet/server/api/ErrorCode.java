package dev.fleetlet.server.api;

import io.micronaut.http.HttpStatus;
import java.util.Locale;

/**
 * Every error the HTTP API can answer, each with its HTTP status and a stable problem type URI
 * ({@code https://fleetlet.dev/problems/<code>}). {@link ProblemHandler} is the one place that turns them
 * into {@code application/problem+json}.
 */
public enum ErrorCode {
    INVALID_REQUEST(HttpStatus.BAD_REQUEST, "Invalid request"),
    VALIDATION_FAILED(HttpStatus.BAD_REQUEST, "Validation failed"),
    INVALID_SELECTOR(HttpStatus.BAD_REQUEST, "Invalid label selector"),
    INVALID_LABEL(HttpStatus.BAD_REQUEST, "Invalid label"),
    UNAUTHENTICATED(HttpStatus.UNAUTHORIZED, "Authentication required"),
    ENROLLMENT_TOKEN_INVALID(HttpStatus.UNAUTHORIZED, "Provisioning token not valid"),
    FORBIDDEN(HttpStatus.FORBIDDEN, "Forbidden"),
    SERIAL_NOT_ALLOWED(HttpStatus.FORBIDDEN, "Serial not on the allowlist"),
    ENROLLMENT_REJECTED(HttpStatus.FORBIDDEN, "Enrollment rejected"),
    DEVICE_DECOMMISSIONED(HttpStatus.FORBIDDEN, "Device decommissioned"),
    NOT_FOUND(HttpStatus.NOT_FOUND, "Not found"),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),
    CONFLICT(HttpStatus.CONFLICT, "Conflict"),
    PAYLOAD_TOO_LARGE(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "Payload too large"),
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),
    INTERNAL(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error"),
    REGISTRY_UNAVAILABLE(HttpStatus.BAD_GATEWAY, "Image registry unavailable"),
    REGISTRY_UNAUTHORIZED(HttpStatus.BAD_GATEWAY, "Image registry refused the credentials"),
    UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable");

    private final HttpStatus status;
    private final String title;

    ErrorCode(HttpStatus status, String title) {
        this.status = status;
        this.title = title;
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The problem type URI. */
    public String type() {
        return "https://fleetlet.dev/problems/" + name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The generic code for a status produced by the framework (routing, body decoding, security). */
    public static ErrorCode forStatus(int status) {
        return switch (status) {
            case 400 -> INVALID_REQUEST;
            case 401 -> UNAUTHENTICATED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 409 -> CONFLICT;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 503 -> UNAVAILABLE;
            default -> status >= 500 ? INTERNAL : INVALID_REQUEST;
        };
    }
}
