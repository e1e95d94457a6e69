package dev.fleetlet.server.events;

import java.util.Map;
import org.reactivestreams.Publisher;

/**
 * The in-process device event bus. {@link #publish} stores an event that names a device in
 * {@code device_events} (inside the caller's transaction when one is open) and hands it to every live
 * subscriber of {@link #stream()}. Subscribers that do not keep up lose events rather than slowing
 * publishers down. Thread-safe; publishers may call from any thread, including broker threads.
 */
public interface EventBus {

    /** Stores and broadcasts an event; returns it with its store id. Never throws for a slow subscriber. */
    FleetEvent publish(String type, String deviceId, Map<String, String> data);

    /** Live events from the moment of subscription (no replay; query the store for history). */
    Publisher<FleetEvent> stream();
}
