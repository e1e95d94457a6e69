package dev.fleetlet.server.rollout.engine;

import dev.fleetlet.protocol.message.CommandRequest;
import dev.fleetlet.protocol.message.CommandResponse;
import dev.fleetlet.protocol.message.DesiredState;
import dev.fleetlet.server.broker.DevicePublisher;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps the newest desired state published per device, like the broker's retained store; replaces the
 * broker's publisher only with {@code fleetlet.test.publisher=memory}.
 */
@Singleton
@Replaces(DevicePublisher.class)
@Requires(property = "fleetlet.test.publisher", value = "memory")
public class RecordingPublisher implements DevicePublisher {

    public final Map<String, DesiredState> retained = new ConcurrentHashMap<>();
    public final AtomicLong publishes = new AtomicLong();

    @Override
    public CompletableFuture<Void> publishDesiredState(DesiredState state) {
        retained.merge(state.deviceId(), state, (a, b) -> b.generation() >= a.generation() ? b : a);
        publishes.incrementAndGet();
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<CommandResponse> sendCommand(String deviceId, CommandRequest request, Duration timeout) {
        return CompletableFuture.failedFuture(new TimeoutException("no devices in tests"));
    }

    /** The release of the newest desired state published to a device, or null. */
    public String releaseOf(String deviceId) {
        DesiredState s = retained.get(deviceId);
        return s == null || s.release() == null ? null : s.release().id();
    }
}
