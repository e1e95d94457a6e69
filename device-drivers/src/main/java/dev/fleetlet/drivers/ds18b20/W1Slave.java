package dev.fleetlet.drivers.ds18b20;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parsed content of a {@code w1_slave} file, two lines written by the kernel's w1_therm driver:
 * <pre>
 * 72 01 4b 46 7f ff 0e 10 57 : crc=57 YES
 * 72 01 4b 46 7f ff 0e 10 57 t=23125
 * </pre>
 *
 * @param scratchpad   the nine scratchpad bytes as read
 * @param crc          the CRC byte the kernel checked, as printed (two hex digits)
 * @param crcOk        {@code YES} on the first line
 * @param milliCelsius the {@code t=} value of the second line
 */
public record W1Slave(int[] scratchpad, String crc, boolean crcOk, int milliCelsius) {

    private static final Pattern FIRST = Pattern.compile("((?:[0-9a-fA-F]{2} ){9}): crc=([0-9a-fA-F]{2}) (YES|NO)");
    private static final Pattern SECOND = Pattern.compile("(?:[0-9a-fA-F]{2} ){9}t=(-?\\d+)");

    /**
     * Parses the file content.
     *
     * @throws IllegalArgumentException naming what is wrong when the content is not two such lines
     */
    public static W1Slave parse(String content) {
        String[] lines = content.strip().split("\\R");
        if (lines.length != 2) {
            throw new IllegalArgumentException("expected 2 lines in w1_slave, got " + lines.length);
        }
        Matcher first = FIRST.matcher(lines[0].strip());
        if (!first.matches()) {
            throw new IllegalArgumentException("first line is not '<9 bytes> : crc=XX YES|NO': '" + lines[0].strip() + "'");
        }
        Matcher second = SECOND.matcher(lines[1].strip());
        if (!second.matches()) {
            throw new IllegalArgumentException("second line is not '<9 bytes> t=<millidegrees>': '" + lines[1].strip() + "'");
        }
        String[] hex = first.group(1).strip().split(" ");
        int[] bytes = new int[hex.length];
        for (int i = 0; i < hex.length; i++) {
            bytes[i] = Integer.parseInt(hex[i], 16);
        }
        int milli;
        try {
            milli = Integer.parseInt(second.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("t= value out of range: " + second.group(1), e);
        }
        return new W1Slave(bytes, first.group(2).toLowerCase(java.util.Locale.ROOT), "YES".equals(first.group(3)), milli);
    }

    /** Whether every scratchpad byte equals {@code value} (0x00 or 0xFF: nothing answered). */
    public boolean scratchpadAll(int value) {
        for (int b : scratchpad) {
            if (b != value) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof W1Slave w && java.util.Arrays.equals(scratchpad, w.scratchpad) && crc.equals(w.crc)
                && crcOk == w.crcOk && milliCelsius == w.milliCelsius;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(java.util.Arrays.hashCode(scratchpad), crc, crcOk, milliCelsius);
    }

    @Override
    public String toString() {
        return "W1Slave[crc=" + crc + (crcOk ? " YES" : " NO") + ", t=" + milliCelsius + "]";
    }
}
