package dev.fleetlet.server.events;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Something that happened to a device, as stored in {@code device_events} and streamed over SSE.
 *
 * @param id       store id, increasing; 0 for an event without a device (not stored)
 * @param type     event type, see {@link EventTypes} (other features add their own, e.g. {@code rollout.*})
 * @param deviceId the device concerned, or null
 * @param at       server time
 * @param data     small key/value details (never secrets)
 */
@Serdeable
public record FleetEvent(long id, String type, String deviceId, Instant at, Map<String, String> data) {

    public FleetEvent {
        data = data == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(data));
    }
}
