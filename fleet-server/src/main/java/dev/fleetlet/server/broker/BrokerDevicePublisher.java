package dev.fleetlet.server.broker;

import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.packets.publish.PayloadFormatIndicator;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import com.hivemq.extension.sdk.api.services.publish.Publish;
import dev.fleetlet.protocol.Topics;
import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.message.CommandRequest;
import dev.fleetlet.protocol.message.CommandResponse;
import dev.fleetlet.protocol.message.DesiredState;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link DevicePublisher} through the embedded broker's in-process publish service. */
@Singleton
@Requires(beans = FleetBroker.class)
final class BrokerDevicePublisher implements DevicePublisher {

    private static final Logger log = LoggerFactory.getLogger(BrokerDevicePublisher.class);
    private static final String JSON = "application/json";

    private final FleetBroker broker;

    BrokerDevicePublisher(FleetBroker broker) {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<Void> publishDesiredState(DesiredState state) {
        try {
            Objects.requireNonNull(state, "state");
            // the release is schema- and app-spec-checked once per release, the envelope per device
            byte[] payload = broker.codec().encodeDesiredState(state);
            Publish publish = Builders.publish()
                    .topic(Topics.desiredState(state.deviceId()))
                    .qos(Qos.AT_LEAST_ONCE)
                    .retain(true)
                    .contentType(JSON)
                    .payloadFormatIndicator(PayloadFormatIndicator.UTF_8)
                    .payload(ByteBuffer.wrap(payload))
                    .build();
            CompletableFuture<Void> done = broker.publishService().publish(publish);
            log.debug("desired state published deviceId={} generation={}", state.deviceId(), state.generation());
            return done;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<CommandResponse> sendCommand(String deviceId, CommandRequest request, Duration timeout) {
        CompletableFuture<CommandResponse> response;
        byte[] payload;
        try {
            Topics.requireDeviceId(deviceId);
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            payload = broker.codec().encode(MessageType.COMMAND_REQUEST, request);
            response = broker.pendingCommands().register(deviceId, request.id(), timeout);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        try {
            Publish publish = Builders.publish()
                    .topic(Topics.commandRequests(deviceId))
                    .qos(Qos.AT_LEAST_ONCE)
                    .retain(false)
                    .responseTopic(Topics.commandResponses(deviceId))
                    .correlationData(ByteBuffer.wrap(request.id().getBytes(StandardCharsets.UTF_8)))
                    .messageExpiryInterval(Math.max(1, (timeout.toMillis() + 999) / 1000))
                    .contentType(JSON)
                    .payloadFormatIndicator(PayloadFormatIndicator.UTF_8)
                    .payload(ByteBuffer.wrap(payload))
                    .build();
            broker.publishService().publish(publish).whenComplete((ok, error) -> {
                if (error != null) {
                    broker.pendingCommands().fail(deviceId, request.id(), error);
                }
            });
            log.info("command sent deviceId={} commandId={} command={} timeoutMs={}", deviceId, request.id(),
                    request.command(), timeout.toMillis());
        } catch (RuntimeException e) {
            broker.pendingCommands().fail(deviceId, request.id(), e);
        }
        return response;
    }
}
