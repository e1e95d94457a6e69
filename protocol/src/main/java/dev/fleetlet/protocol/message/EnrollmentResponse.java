package dev.fleetlet.protocol.message;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;

/**
 * The answer to an enrollment.
 *
 * @param status     accepted (credentials usable now) or pending (waiting for an operator's approval; retry later)
 * @param deviceId   the device id to use as MQTT client id, user name and topic level
 * @param mqttUri    where to connect, e.g. {@code tcp://fleet.example:1883} or {@code ssl://...:8883}
 * @param serverTime server time, a clock hint for a board that booted at 1970
 * @param retryAfterSeconds for pending: when to ask again
 */
public record EnrollmentResponse(Status status, String deviceId, String mqttUri, Instant serverTime,
                                 Integer retryAfterSeconds) {

    /** Enrollment outcome. */
    public enum Status implements WireEnum {
        ACCEPTED("accepted"), PENDING("pending");

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
