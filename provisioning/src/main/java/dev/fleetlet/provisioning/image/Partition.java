package dev.fleetlet.provisioning.image;

/**
 * One primary MBR partition.
 *
 * @param number      1-based slot in the MBR
 * @param type        MBR partition type byte (0x0c FAT32 LBA, 0x83 Linux, ...)
 * @param bootable    the active flag (0x80)
 * @param startSector first 512-byte sector
 * @param sectors     length in 512-byte sectors
 */
public record Partition(int number, int type, boolean bootable, long startSector, long sectors) {

    public static final int SECTOR = 512;

    public long offsetBytes() {
        return startSector * SECTOR;
    }

    public long sizeBytes() {
        return sectors * SECTOR;
    }

    public long endBytes() {
        return offsetBytes() + sizeBytes();
    }

    /** FAT12/16/32 types Raspberry Pi firmware can boot from: 0x0b, 0x0c (FAT32), 0x0e, 0x06, 0x04 (FAT16). */
    public boolean isFat() {
        return type == 0x0b || type == 0x0c || type == 0x0e || type == 0x06 || type == 0x04;
    }

    /** A short name for the type, for listings. */
    public String typeName() {
        return switch (type) {
            case 0x0b, 0x0c -> "FAT32";
            case 0x0e, 0x06, 0x04 -> "FAT16";
            case 0x83 -> "Linux";
            case 0x82 -> "Linux swap";
            case 0x05, 0x0f -> "extended";
            case 0xee -> "GPT protective";
            default -> "unknown";
        };
    }
}
