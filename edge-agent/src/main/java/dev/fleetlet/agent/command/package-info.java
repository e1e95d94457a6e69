/**
 * Remote commands (MQTT v5 request/response on {@code commands/req} → the request's response topic).
 * Data flow: {@link dev.fleetlet.agent.command.CommandDispatcher} takes a request off the MQTT callback
 * thread onto its own worker, checks size, decodes it, answers a redelivered id from its memory of recent
 * responses, rejects expired and unknown commands, runs the {@link dev.fleetlet.agent.command.CommandHandler}
 * for the name, publishes exactly one {@link dev.fleetlet.protocol.message.CommandResponse} with the
 * request's correlation data, and only then runs the handler's follow-up (reboot, exit for restart, log
 * chunks). Host effects go through the {@link dev.fleetlet.agent.command.SystemActions} port.
 */
package dev.fleetlet.agent.command;
