package dev.fleetlet.drivers.i2c;

/**
 * Flags a sensor whose raw output does not change: the same raw value {@code threshold} times in a
 * row is suspect (a frozen ADC, a latched bus buffer, a chip stuck in sleep mode returning its last
 * result). Shared by the chip drivers of this module.
 *
 * <p>A threshold of {@code 0} disables the check; use that for sensors whose resolution makes
 * repeats normal (a DS18B20 in a steady room). A changed value resets the count, so the reading
 * recovers on its own. Not thread-safe.
 */
public final class StuckValueDetector {

    private final int threshold;
    private long last;
    private int repeats;

    /** @param threshold identical raw values in a row that count as stuck; 0 disables, otherwise at least 2 */
    public StuckValueDetector(int threshold) {
        if (threshold < 0 || threshold == 1) {
            throw new IllegalArgumentException("stuck threshold must be 0 (off) or >= 2, was " + threshold);
        }
        this.threshold = threshold;
    }

    /**
     * Records one raw value.
     *
     * @return {@code true} when this value completes or extends a run of {@code threshold} identical values
     */
    public boolean observe(long raw) {
        if (threshold == 0) {
            return false;
        }
        if (repeats > 0 && raw == last) {
            repeats++;
        } else {
            last = raw;
            repeats = 1;
        }
        return repeats >= threshold;
    }

    /** Forgets the history, e.g. after a bus error or re-initialisation. */
    public void reset() {
        repeats = 0;
    }

    /** The reason text used for a stuck reading. */
    public String reason() {
        return "raw value unchanged for " + repeats + " samples (stuck?)";
    }
}
