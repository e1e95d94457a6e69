package dev.fleetlet.drivers.sim;

/**
 * Deterministic signal generators for the simulated board. Randomness comes from hashing
 * {@code (seed, time slot)}, never from a shared generator, so values do not depend on who asked first.
 */
public final class Signals {

    private static final long DAY_MS = 86_400_000L;

    private Signals() {
    }

    public static Signal constant(double value) {
        return t -> value;
    }

    /**
     * A daily cosine: {@code mean + amplitude} at {@code peakHourUtc}, {@code mean - amplitude} twelve
     * hours later.
     */
    public static Signal dailyCycle(double mean, double amplitude, double peakHourUtc) {
        long peak = Math.round(peakHourUtc * 3_600_000.0);
        return t -> mean + amplitude * Math.cos(2 * Math.PI * Math.floorMod(t - peak, DAY_MS) / DAY_MS);
    }

    /**
     * Slowly varying noise in {@code [-amplitude, amplitude]}: random values at every {@code periodMillis}
     * knot, smoothly interpolated (cosine) in between.
     */
    public static Signal smoothNoise(long seed, double amplitude, long periodMillis) {
        return t -> {
            long slot = Math.floorDiv(t, periodMillis);
            double frac = (double) Math.floorMod(t, periodMillis) / periodMillis;
            double a = uniform(seed, slot) * 2 - 1;
            double b = uniform(seed, slot + 1) * 2 - 1;
            double w = (1 - Math.cos(Math.PI * frac)) / 2;
            return amplitude * (a + (b - a) * w);
        };
    }

    /**
     * Gaussian white noise with standard deviation {@code std}, a new value every {@code slotMillis}
     * (the sample-to-sample noise of an ADC channel).
     */
    public static Signal whiteNoise(long seed, double std, long slotMillis) {
        return t -> {
            long slot = Math.floorDiv(t, slotMillis);
            double u1 = Math.max(uniform(seed, slot), 1e-12);
            double u2 = uniform(seed ^ 0x5DEECE66DL, slot);
            return std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        };
    }

    /**
     * Events that fire now and then (a PIR): time is cut into slots of {@code holdMillis}; a slot is
     * active (1.0) with probability {@code holdMillis / meanGapMillis}, else 0.0. On average one event
     * per {@code meanGapMillis}, each held for at least {@code holdMillis}.
     */
    public static Signal events(long seed, long meanGapMillis, long holdMillis) {
        double p = Math.min(1.0, (double) holdMillis / meanGapMillis);
        return t -> uniform(seed, Math.floorDiv(t, holdMillis)) < p ? 1.0 : 0.0;
    }

    /** A deterministic value in [0, 1) for {@code (seed, slot)} (SplitMix64 finaliser). */
    static double uniform(long seed, long slot) {
        long z = seed * 0x9E3779B97F4A7C15L + slot * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53;
    }

    /** A stable 64-bit seed for a name under a board seed. */
    public static long seed(long boardSeed, String name) {
        long h = 1125899906842597L;
        for (int i = 0; i < name.length(); i++) {
            h = 31 * h + name.charAt(i);
        }
        return boardSeed * 0x9E3779B97F4A7C15L ^ h;
    }
}
