package dev.fleetlet.agent.command;

import dev.fleetlet.protocol.message.CommandRequest;

/**
 * Runs one command. Handlers validate their own {@code args} and answer {@code rejected}/{@code bad-args}
 * naming the argument; anything they throw becomes an {@code error} response with code {@code internal}.
 * Long work belongs in {@link CommandOutcome#after()}, which runs after the response was sent.
 */
@FunctionalInterface
public interface CommandHandler {
    CommandOutcome handle(CommandRequest request);
}
