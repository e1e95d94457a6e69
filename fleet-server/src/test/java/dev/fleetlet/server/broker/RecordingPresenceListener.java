package dev.fleetlet.server.broker;

import dev.fleetlet.protocol.message.Presence;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records presence calls for broker tests ({@code fleetlet.test.broker-fixtures=true}). */
@Singleton
@Replaces(PresenceListener.class)
@Requires(property = "fleetlet.test.broker-fixtures", value = "true")
public class RecordingPresenceListener implements PresenceListener {

    /** One call. */
    public record Call(String deviceId, String what, Presence birth, String reason) {
    }

    public final List<Call> calls = new CopyOnWriteArrayList<>();

    @Override
    public void online(String deviceId, Instant at, Presence birth) {
        calls.add(new Call(deviceId, birth == null ? "connected" : "birth", birth, null));
    }

    @Override
    public void offline(String deviceId, Instant at, String reason) {
        calls.add(new Call(deviceId, "offline", null, reason));
    }
}
