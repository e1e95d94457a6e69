package dev.fleetlet.protocol.codec;

import java.util.Objects;

/**
 * Why a payload was refused.
 *
 * @param reason  the category, stable for metrics and reports
 * @param field   a JSON Pointer to the offending field ({@code /readings/3/value}), or {@code ""} for the whole payload
 * @param message a human-readable explanation naming the field and what was expected
 */
public record Rejection(Reason reason, String field, String message) {

    public Rejection {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }

    /** Rejection categories. */
    public enum Reason {
        /** Larger than the topic's limit. */
        TOO_LARGE,
        /** Not parseable JSON, or not a JSON object. */
        MALFORMED_JSON,
        /** The {@code v} field is missing or names a version this side does not speak. */
        UNSUPPORTED_VERSION,
        /** Valid JSON that breaks the schema: wrong type, missing field, value out of range. */
        SCHEMA_VIOLATION
    }

    @Override
    public String toString() {
        return reason + " at '" + field + "': " + message;
    }
}
