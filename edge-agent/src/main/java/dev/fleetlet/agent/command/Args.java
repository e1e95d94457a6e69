package dev.fleetlet.agent.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Reads command {@code args}; a bad value throws {@link BadArgs} naming the argument and the expectation. */
final class Args {

    /** A bad argument; becomes {@code rejected} with code {@code bad-args}. */
    static final class BadArgs extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadArgs(String message) {
            super(message);
        }

        CommandOutcome outcome() {
            return CommandOutcome.rejected("bad-args", getMessage());
        }
    }

    private final JsonNode args;

    Args(JsonNode args) {
        this.args = args;
    }

    int integer(String name, int fallback, int min, int max) {
        JsonNode v = value(name);
        if (v == null) {
            return fallback;
        }
        if (!v.canConvertToExactIntegral() || !v.isNumber() || v.asLong() < min || v.asLong() > max) {
            throw new BadArgs(name + ": expected an integer from " + min + " to " + max + ", got " + v);
        }
        return v.asInt();
    }

    String string(String name, String fallback) {
        JsonNode v = value(name);
        if (v == null) {
            return fallback;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new BadArgs(name + ": expected a non-empty string, got " + v);
        }
        return v.asText();
    }

    Instant instant(String name) {
        JsonNode v = value(name);
        if (v == null) {
            return null;
        }
        try {
            return Instant.parse(v.asText());
        } catch (DateTimeParseException e) {
            throw new BadArgs(name + ": expected an RFC 3339 date-time such as 2025-03-14T10:00:00Z, got " + v);
        }
    }

    private JsonNode value(String name) {
        if (args == null || args.isNull()) {
            return null;
        }
        JsonNode v = args.get(name);
        return v == null || v.isNull() ? null : v;
    }
}
