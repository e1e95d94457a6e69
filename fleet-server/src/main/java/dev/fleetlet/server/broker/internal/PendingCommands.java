package dev.fleetlet.server.broker.internal;

import dev.fleetlet.protocol.message.CommandResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Commands sent to devices that still wait for their response, keyed by device and correlation id.
 * A response completes the future; a timeout fails it with {@link java.util.concurrent.TimeoutException}.
 */
public final class PendingCommands {

    private final Map<String, CompletableFuture<CommandResponse>> pending = new ConcurrentHashMap<>();

    /** Registers a command; throws {@link IllegalArgumentException} when the same id is already pending. */
    public CompletableFuture<CommandResponse> register(String deviceId, String commandId, Duration timeout) {
        String key = key(deviceId, commandId);
        CompletableFuture<CommandResponse> future = new CompletableFuture<>();
        if (pending.putIfAbsent(key, future) != null) {
            throw new IllegalArgumentException("command id " + commandId + " is already pending for device " + deviceId);
        }
        future.orTimeout(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)
                .whenComplete((r, e) -> pending.remove(key, future));
        return future;
    }

    /** Completes the command answered by {@code response}; false when nothing waits for it. */
    public boolean complete(String deviceId, String correlationId, CommandResponse response) {
        CompletableFuture<CommandResponse> future = pending.remove(key(deviceId, correlationId));
        return future != null && future.complete(response);
    }

    /** Fails a pending command, e.g. when its publish failed. */
    public void fail(String deviceId, String commandId, Throwable cause) {
        CompletableFuture<CommandResponse> future = pending.remove(key(deviceId, commandId));
        if (future != null) {
            future.completeExceptionally(cause);
        }
    }

    public int size() {
        return pending.size();
    }

    private static String key(String deviceId, String commandId) {
        return deviceId + '\u0000' + commandId;
    }
}
