package dev.fleetlet.protocol.message;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A command to a device on {@code commands/req}, sent as an MQTT v5 request: the response topic
 * property names the device's {@code commands/res} topic and the correlation data carries {@code id}
 * as UTF-8; the message expiry interval equals the timeout, so a command that cannot be delivered in
 * time is dropped by the broker instead of running late.
 *
 * @param v         protocol version, always 1
 * @param id        unique command id
 * @param command   the command name; see {@link CommandName} for the ones agents of v1 understand
 * @param args      command arguments (an object), or null
 * @param issuedAt  server time of issue
 * @param timeoutMs how long the server waits for the response
 */
public record CommandRequest(int v, String id, String command, JsonNode args, Instant issuedAt, long timeoutMs) {
}
