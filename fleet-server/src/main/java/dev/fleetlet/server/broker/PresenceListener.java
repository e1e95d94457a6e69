package dev.fleetlet.server.broker;

import dev.fleetlet.protocol.message.Presence;
import java.time.Instant;

/**
 * Told by the broker about device connections and presence messages. Implemented by the core
 * (presence state and device events). Only devices are reported, never telemetry readers.
 *
 * <p>Calls arrive on broker threads, possibly concurrently for different devices and, for one device,
 * in the order the broker saw the events. Implementations must return quickly and must not throw; an
 * exception is logged by the broker and otherwise ignored.
 */
public interface PresenceListener {

    /**
     * A device connected, or published its birth message.
     *
     * @param deviceId the device
     * @param at       server time of the event
     * @param birth    the decoded birth message, or null for the connect itself (the birth message,
     *                 when the device sends one, follows as a second call)
     */
    void online(String deviceId, Instant at, Presence birth);

    /**
     * A device disconnected (cleanly or not), or published an offline presence message (for example
     * its Last Will).
     *
     * @param deviceId the device
     * @param at       server time of the event
     * @param reason   a short reason: {@code disconnect}, {@code connection-lost}, {@code shutdown},
     *                 {@code reboot}, or the reason the device gave in its presence message
     */
    void offline(String deviceId, Instant at, String reason);
}
