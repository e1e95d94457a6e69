package dev.fleetlet.agent.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetlet.protocol.message.CommandResponse;
import java.util.Objects;

/**
 * What a handler answers, and what it does after the answer has been sent.
 *
 * @param status       ok, error (ran and failed) or rejected (not understood, bad args)
 * @param result       the result object for ok, or null
 * @param errorCode    machine-readable code for error/rejected (e.g. {@code bad-args}), else null
 * @param errorMessage human-readable message for error/rejected, else null
 * @param after        runs once the response was acknowledged (or could not be), or null
 */
public record CommandOutcome(CommandResponse.Status status, JsonNode result, String errorCode, String errorMessage,
                             Runnable after) {

    public CommandOutcome {
        Objects.requireNonNull(status, "status");
        if (status != CommandResponse.Status.OK && (errorCode == null || errorMessage == null)) {
            throw new IllegalArgumentException(status + " needs an error code and message");
        }
    }

    public static CommandOutcome ok(JsonNode result) {
        return new CommandOutcome(CommandResponse.Status.OK, result, null, null, null);
    }

    public static CommandOutcome okThen(JsonNode result, Runnable after) {
        return new CommandOutcome(CommandResponse.Status.OK, result, null, null, after);
    }

    public static CommandOutcome error(String code, String message) {
        return new CommandOutcome(CommandResponse.Status.ERROR, null, code, message, null);
    }

    public static CommandOutcome rejected(String code, String message) {
        return new CommandOutcome(CommandResponse.Status.REJECTED, null, code, message, null);
    }
}
