package dev.fleetlet.protocol.message;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;

/**
 * One value of one quantity from one sensor.
 *
 * @param sensor   configured sensor name, unique on the device
 * @param quantity what is measured ({@code temperature}, {@code humidity}, ...)
 * @param unit     UCUM-style unit code ({@code Cel}, {@code %RH}, {@code Pa}, {@code V}, ...)
 * @param value    the value; null when {@code quality} is failed
 * @param ts       when it was sampled (device clock; see the batch's {@code clockSynced})
 * @param quality  ok, suspect or failed
 * @param reason   why suspect or failed; absent when ok
 */
public record Reading(String sensor, String quantity, String unit, Double value, Instant ts, Quality quality,
                      String reason) {

    /** Whether a reading can be trusted. */
    public enum Quality implements WireEnum {
        OK("ok"), SUSPECT("suspect"), FAILED("failed");

        private final String wire;

        Quality(String wire) {
            this.wire = wire;
        }

        @JsonValue
        @Override
        public String wire() {
            return wire;
        }

        @JsonCreator
        public static Quality of(String wire) {
            return WireEnum.fromWire(Quality.class, wire);
        }
    }

    public static Reading ok(String sensor, String quantity, String unit, double value, Instant ts) {
        return new Reading(sensor, quantity, unit, value, ts, Quality.OK, null);
    }
}
