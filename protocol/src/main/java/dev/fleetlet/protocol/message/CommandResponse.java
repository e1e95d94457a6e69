package dev.fleetlet.protocol.message;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A device's answer on the request's response topic, with the request's correlation data.
 *
 * @param v           protocol version, always 1
 * @param id          the command id being answered
 * @param status      ok, error, rejected (not understood or not allowed)
 * @param completedAt device time
 * @param result      command-specific result object, or null
 * @param error       why error or rejected, or null
 */
public record CommandResponse(int v, String id, Status status, Instant completedAt, JsonNode result,
                              ErrorInfo error) {

    /** A machine-readable code and a human-readable message. */
    public record ErrorInfo(String code, String message) {
    }

    /** Outcome of a command. */
    public enum Status implements WireEnum {
        OK("ok"), ERROR("error"), REJECTED("rejected");

        private final String wire;

        Status(String wire) {
            this.wire = wire;
        }

        @JsonValue
        @Override
        public String wire() {
            return wire;
        }

        @JsonCreator
        public static Status of(String wire) {
            return WireEnum.fromWire(Status.class, wire);
        }
    }
}
