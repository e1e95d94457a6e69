package dev.fleetlet.protocol.message;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;

/**
 * A device event on {@code events}: update progress and notable changes.
 *
 * @param v          protocol version, always 1
 * @param deviceId   the publishing device
 * @param seq        per-device event sequence number, for de-duplication
 * @param ts         device time
 * @param type       what happened
 * @param generation the desired-state generation concerned, or null
 * @param releaseId  the release concerned, or null
 * @param progress   download progress, for {@code update.downloading}
 * @param message    human-readable detail or reason
 */
public record DeviceEvent(int v, String deviceId, long seq, Instant ts, Type type, Long generation, String releaseId,
                          Progress progress, String message) {

    /** Download progress. */
    public record Progress(long bytes, Long totalBytes, Double percent) {
    }

    /** Event types. */
    public enum Type implements WireEnum {
        AGENT_STARTED("agent.started"),
        CONFIG_RELOADED("agent.config_reloaded"),
        DESIRED_REJECTED("desired.rejected"),
        COMMAND_REJECTED("command.rejected"),
        UPDATE_DOWNLOADING("update.downloading"),
        UPDATE_STARTING("update.starting"),
        UPDATE_HEALTHY("update.healthy"),
        UPDATE_APPLIED("update.applied"),
        UPDATE_FAILED("update.failed"),
        UPDATE_ROLLED_BACK("update.rolled_back"),
        UPDATE_ROLLBACK_FAILED("update.rollback_failed"),
        TELEMETRY_DROPPED("telemetry.dropped"),
        STORAGE_LOW("storage.low");

        private final String wire;

        Type(String wire) {
            this.wire = wire;
        }

        @JsonValue
        @Override
        public String wire() {
            return wire;
        }

        @JsonCreator
        public static Type of(String wire) {
            return WireEnum.fromWire(Type.class, wire);
        }
    }
}
