package dev.fleetlet.drivers.health;

/**
 * The Raspberry Pi firmware's throttling word ({@code vcgencmd get_throttled}). Bits 0-3 say what is
 * happening now, bits 16-19 what has happened since boot.
 *
 * @param raw the 32-bit value, e.g. {@code 0x50005}
 */
public record ThrottledFlags(int raw) {

    public boolean underVoltageNow() {
        return (raw & 0x1) != 0;
    }

    public boolean frequencyCappedNow() {
        return (raw & 0x2) != 0;
    }

    public boolean throttledNow() {
        return (raw & 0x4) != 0;
    }

    public boolean softTempLimitNow() {
        return (raw & 0x8) != 0;
    }

    public boolean underVoltageOccurred() {
        return (raw & 0x10000) != 0;
    }

    public boolean frequencyCappedOccurred() {
        return (raw & 0x20000) != 0;
    }

    public boolean throttlingOccurred() {
        return (raw & 0x40000) != 0;
    }

    public boolean softTempLimitOccurred() {
        return (raw & 0x80000) != 0;
    }

    /**
     * Parses what the firmware prints: {@code throttled=0x50005} (vcgencmd), {@code 0x50005} or
     * {@code 50005} (sysfs {@code get_throttled}, hexadecimal). Surrounding whitespace is ignored.
     *
     * @throws NumberFormatException when the text is none of these
     */
    public static ThrottledFlags parse(String text) {
        String t = text.trim();
        if (t.startsWith("throttled=")) {
            t = t.substring("throttled=".length());
        }
        if (t.startsWith("0x") || t.startsWith("0X")) {
            t = t.substring(2);
        }
        if (t.isEmpty() || t.length() > 8) {
            throw new NumberFormatException("not a throttled word: '" + text.trim() + "'");
        }
        return new ThrottledFlags((int) Long.parseLong(t, 16));
    }
}
