package dev.fleetlet.server.broker;

import dev.fleetlet.protocol.message.CommandRequest;
import dev.fleetlet.protocol.message.CommandResponse;
import dev.fleetlet.protocol.message.DesiredState;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes from inside the server to devices, through the embedded broker's in-process publish
 * service (no MQTT connection of its own, so no credentials and no ACL).
 */
public interface DevicePublisher {

    /**
     * Publishes {@code state} retained with QoS 1 on the device's {@code state/desired} topic, replacing
     * the previous retained desired state. A device that is offline receives it when it subscribes.
     *
     * <p>An invalid desired state is never published. The release is checked in full (JSON Schema and
     * app spec) the first time a release object is published and its JSON is reused after that; each
     * state's own fields are checked every time ({@link dev.fleetlet.protocol.codec.ProtocolCodec#encodeDesiredState}).
     * So the release object must not be modified once published (releases are immutable).
     *
     * @return completes when the broker has accepted the message (not when the device received it);
     *     fails with {@link IllegalArgumentException} when the state breaks the protocol schema, or
     *     with {@link IllegalStateException} when the broker is not running
     */
    CompletableFuture<Void> publishDesiredState(DesiredState state);

    /**
     * Sends a command as an MQTT v5 request on {@code commands/req} (response topic = the device's
     * {@code commands/res}, correlation data = the command id, message expiry = {@code timeout}) and
     * waits for the matching response.
     *
     * @return completes with the device's response; fails with
     *     {@link java.util.concurrent.TimeoutException} when no response arrives within {@code timeout}
     *     (including when the device is offline), with {@link IllegalArgumentException} for an invalid
     *     request, or with {@link IllegalStateException} when the broker is not running
     */
    CompletableFuture<CommandResponse> sendCommand(String deviceId, CommandRequest request, Duration timeout);
}
