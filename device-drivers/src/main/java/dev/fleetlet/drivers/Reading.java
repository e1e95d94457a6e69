package dev.fleetlet.drivers;

import java.time.Instant;
import java.util.Objects;

/**
 * One measured value of one quantity from one sensor.
 *
 * @param sensor    the configured sensor name (unique on the board), e.g. {@code greenhouse}
 * @param quantity  what is measured, e.g. {@code temperature}, {@code humidity}, {@code pressure}, {@code voltage}
 * @param unit      the unit of {@code value}, e.g. {@code Cel}, {@code %RH}, {@code Pa}, {@code V} (UCUM-style codes)
 * @param value     the value in {@code unit}; {@code NaN} when the quality is {@link Quality.Failed}
 * @param timestamp when the value was sampled, from the injected clock
 * @param quality   whether the value can be trusted, and why not
 */
public record Reading(String sensor, String quantity, String unit, double value, Instant timestamp, Quality quality) {

    public Reading {
        Objects.requireNonNull(sensor, "sensor");
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(quality, "quality");
    }

    public static Reading ok(String sensor, String quantity, String unit, double value, Instant at) {
        return new Reading(sensor, quantity, unit, value, at, Quality.OK);
    }

    public static Reading failed(String sensor, String quantity, String unit, Instant at, String reason) {
        return new Reading(sensor, quantity, unit, Double.NaN, at, Quality.failed(reason));
    }

    public static Reading suspect(String sensor, String quantity, String unit, double value, Instant at, String reason) {
        return new Reading(sensor, quantity, unit, value, at, Quality.suspect(reason));
    }
}
