package dev.fleetlet.drivers.sht3x;

/**
 * Sensirion's CRC-8 over each 2-byte word: polynomial 0x31 (x^8 + x^5 + x^4 + 1), initial value
 * 0xFF, no reflection, no final XOR. The datasheet example: 0xBEEF gives 0x92.
 */
public final class Sht3xCrc {

    private Sht3xCrc() {
    }

    /** The CRC of {@code length} bytes from {@code offset}. */
    public static int crc8(byte[] data, int offset, int length) {
        int crc = 0xFF;
        for (int i = offset; i < offset + length; i++) {
            crc ^= data[i] & 0xFF;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x80) != 0 ? ((crc << 1) ^ 0x31) & 0xFF : (crc << 1) & 0xFF;
            }
        }
        return crc;
    }

    /** The CRC of a 16-bit word sent most significant byte first. */
    public static int crc8(int word) {
        return crc8(new byte[] {(byte) (word >> 8), (byte) word}, 0, 2);
    }
}
