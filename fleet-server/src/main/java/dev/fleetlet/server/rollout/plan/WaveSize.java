package dev.fleetlet.server.rollout.plan;

import java.util.Locale;

/**
 * The size of a canary or a wave: an absolute number of devices or a percentage of all targeted devices.
 *
 * <p>Rounding: a percentage is rounded <em>up</em> ({@code ceil(total × percent / 100)}), so a non-zero
 * percentage of a non-empty target always yields at least one device; the result never exceeds
 * {@code total}. Validation of the value happens in {@link RolloutPlan#problems()}.
 *
 * @param kind  count or percent
 * @param value the count (whole number ≥ 1) or the percentage (0 &lt; p ≤ 100)
 */
public record WaveSize(Kind kind, double value) {

    /** How {@link #value} is read. */
    public enum Kind { COUNT, PERCENT }

    public static WaveSize count(int devices) {
        return new WaveSize(Kind.COUNT, devices);
    }

    public static WaveSize percent(double percent) {
        return new WaveSize(Kind.PERCENT, percent);
    }

    /** The number of devices this size stands for out of {@code total} targeted devices, 0..total. */
    public int devicesOf(int total) {
        if (total <= 0) {
            return 0;
        }
        long n;
        if (kind == Kind.COUNT) {
            n = (long) value;
        } else {
            // exact enough: percent has at most a few decimals; subtract a tiny epsilon so 10 % of 1000 stays 100
            n = (long) Math.ceil(total * value / 100.0 - 1e-9);
            if (value > 0 && n < 1) {
                n = 1;
            }
        }
        return (int) Math.max(0, Math.min(total, n));
    }

    /** Why the size is unusable, or null when it is fine. */
    String problem() {
        if (kind == null) {
            return "must be a count or a percent";
        }
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "must be a number";
        }
        if (kind == Kind.COUNT && (value < 1 || value != Math.rint(value))) {
            return "count must be a whole number ≥ 1, was " + Format.number(value);
        }
        if (kind == Kind.PERCENT && (value <= 0 || value > 100)) {
            return "percent must be > 0 and ≤ 100, was " + Format.number(value);
        }
        return null;
    }

    @Override
    public String toString() {
        return kind == Kind.PERCENT ? Format.number(value) + " %" : String.format(Locale.ROOT, "%d devices", (long) value);
    }
}
