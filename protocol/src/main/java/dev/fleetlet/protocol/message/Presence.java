package dev.fleetlet.protocol.message;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;

/**
 * Published retained on {@code presence}: the device's birth message when it connects ({@code online},
 * with its hardware facts) and its Last Will ({@code offline}, reason {@code connection-lost}), or an
 * {@code offline} with reason {@code shutdown} before a clean disconnect.
 *
 * @param v         protocol version, always 1
 * @param deviceId  the publishing device
 * @param state     online or offline
 * @param ts        the device's time of the change (see {@code clockSynced})
 * @param clockSynced whether the device clock was synchronised when {@code ts} was taken
 * @param bootId    changes at every boot of the board, so the server can count reboots
 * @param reason    why offline ({@code connection-lost}, {@code shutdown}, {@code reboot}); absent when online
 * @param hardware  facts about the board, present in the birth message
 */
public record Presence(int v, String deviceId, State state, Instant ts, boolean clockSynced, String bootId,
                       String reason, HardwareFacts hardware) {

    /** Online or offline. */
    public enum State implements WireEnum {
        ONLINE("online"), OFFLINE("offline");

        private final String wire;

        State(String wire) {
            this.wire = wire;
        }

        @JsonValue
        @Override
        public String wire() {
            return wire;
        }

        @JsonCreator
        public static State of(String wire) {
            return WireEnum.fromWire(State.class, wire);
        }
    }

    public static Presence birth(String deviceId, Instant ts, boolean clockSynced, String bootId, HardwareFacts hardware) {
        return new Presence(1, deviceId, State.ONLINE, ts, clockSynced, bootId, null, hardware);
    }

    public static Presence death(String deviceId, Instant ts, boolean clockSynced, String bootId, String reason) {
        return new Presence(1, deviceId, State.OFFLINE, ts, clockSynced, bootId, reason, null);
    }
}
