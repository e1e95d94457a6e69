package dev.fleetlet.drivers.bme280;

/**
 * The factory trimming parameters of one BME280/BMP280, read once from its NVM registers.
 *
 * <p>Layout: 0x88..0x9F hold T1..T3 and P1..P9 as little-endian 16-bit words (T1 and P1 unsigned,
 * the rest signed); 0xA1 holds H1 (unsigned byte); 0xE1..0xE7 hold H2 (signed 16-bit), H3 (unsigned
 * byte), H4 and H5 (signed 12-bit values sharing the nibbles of 0xE5) and H6 (signed byte). A BMP280
 * has no humidity parameters; they are zero.
 */
public record Bme280Calibration(
        int t1, int t2, int t3,
        int p1, int p2, int p3, int p4, int p5, int p6, int p7, int p8, int p9,
        int h1, int h2, int h3, int h4, int h5, int h6) {

    /** Bytes to read from {@link #TP_START} (0x88..0xA1, H1 included). */
    public static final int TP_LENGTH = 26;
    /** First temperature/pressure calibration register. */
    public static final int TP_START = 0x88;
    /** First humidity calibration register (H2). */
    public static final int H_START = 0xE1;
    /** Bytes to read from {@link #H_START} (0xE1..0xE7). */
    public static final int H_LENGTH = 7;

    /**
     * Decodes the calibration registers.
     *
     * @param tp the 26 bytes from 0x88 to 0xA1
     * @param h  the 7 bytes from 0xE1 to 0xE7, or {@code null} for a BMP280
     */
    public static Bme280Calibration decode(byte[] tp, byte[] h) {
        if (tp.length != TP_LENGTH) {
            throw new IllegalArgumentException("tp must hold " + TP_LENGTH + " bytes, was " + tp.length);
        }
        int h1 = 0;
        int h2 = 0;
        int h3 = 0;
        int h4 = 0;
        int h5 = 0;
        int h6 = 0;
        if (h != null) {
            if (h.length != H_LENGTH) {
                throw new IllegalArgumentException("h must hold " + H_LENGTH + " bytes, was " + h.length);
            }
            h1 = tp[25] & 0xFF;
            h2 = s16(h, 0);
            h3 = h[2] & 0xFF;
            h4 = (h[3] << 4) | (h[4] & 0x0F);
            h5 = (h[5] << 4) | ((h[4] & 0xFF) >> 4);
            h6 = h[6];
        }
        return new Bme280Calibration(
                u16(tp, 0), s16(tp, 2), s16(tp, 4),
                u16(tp, 6), s16(tp, 8), s16(tp, 10), s16(tp, 12), s16(tp, 14), s16(tp, 16), s16(tp, 18),
                s16(tp, 20), s16(tp, 22),
                h1, h2, h3, h4, h5, h6);
    }

    /** Encodes 0x88..0xA1 as the chip holds them (for fakes). */
    public byte[] encodeTp() {
        byte[] b = new byte[TP_LENGTH];
        int[] words = {t1, t2, t3, p1, p2, p3, p4, p5, p6, p7, p8, p9};
        for (int i = 0; i < words.length; i++) {
            b[2 * i] = (byte) words[i];
            b[2 * i + 1] = (byte) (words[i] >> 8);
        }
        b[25] = (byte) h1;
        return b;
    }

    /** Encodes 0xE1..0xE7 as the chip holds them (for fakes). */
    public byte[] encodeH() {
        return new byte[] {
            (byte) h2, (byte) (h2 >> 8), (byte) h3,
            (byte) (h4 >> 4), (byte) (((h5 & 0x0F) << 4) | (h4 & 0x0F)), (byte) (h5 >> 4),
            (byte) h6
        };
    }

    /**
     * Whether the parameters look like real trimming data. Erased NVM or a bus that reads all zeros
     * or all ones gives T1/P1 of 0 or 0xFFFF.
     */
    public boolean plausible() {
        return t1 != 0 && t1 != 0xFFFF && p1 != 0 && p1 != 0xFFFF;
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) | ((b[i + 1] & 0xFF) << 8);
    }

    private static int s16(byte[] b, int i) {
        return (short) u16(b, i);
    }
}
