package dev.fleetlet.server.api;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * An RFC 9457 problem document as the API returns it with {@code application/problem+json}.
 *
 * @param type   stable URI of the problem type ({@link ErrorCode#type()})
 * @param title  short summary of the type
 * @param status HTTP status
 * @param detail what went wrong in this request
 * @param code   the {@link ErrorCode} name, for clients that switch on it
 * @param errors per-field errors for validation problems, else empty
 */
@Serdeable
public record Problem(String type, String title, int status, String detail, String code, List<FieldError> errors) {

    /** One invalid field: a JSON path-like name ({@code labels.env}, {@code serial}) and the reason. */
    @Serdeable
    public record FieldError(String field, String message) {
    }

    public Problem {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public static Problem of(ErrorCode code, String detail, List<FieldError> errors) {
        return new Problem(code.type(), code.title(), code.status().getCode(), detail, code.name(), errors);
    }
}
