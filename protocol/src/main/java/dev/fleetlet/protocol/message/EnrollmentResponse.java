package dev.fleetlet.protocol.message;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.List;

/**
 * The answer to an enrollment.
 *
 * @param status     accepted (credentials usable now) or pending (waiting for an operator's approval; retry later)
 * @param deviceId   the device id to use as MQTT client id, user name and topic level
 * @param mqttUri    where to connect, e.g. {@code tcp://fleet.example:1883} or {@code ssl://...:8883}
 * @param serverTime server time, a clock hint for a board that booted at 1970
 * @param retryAfterSeconds for pending: when to ask again
 * @param certificateChain  for an accepted request that carried a CSR: the issued client certificate first, then
 *                          the fleet CA certificate, each PEM; null otherwise
 */
public record EnrollmentResponse(Status status, String deviceId, String mqttUri, Instant serverTime,
                                 Integer retryAfterSeconds, List<String> certificateChain) {

    /** An answer without a certificate (password-only enrollment, or pending). */
    public EnrollmentResponse(Status status, String deviceId, String mqttUri, Instant serverTime, Integer retryAfterSeconds) {
        this(status, deviceId, mqttUri, serverTime, retryAfterSeconds, null);
    }

    public EnrollmentResponse {
        certificateChain = certificateChain == null ? null : List.copyOf(certificateChain);
    }

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
