package dev.fleetlet.provisioning.image;

/**
 * One primary MBR partition.
 *
 * @param number      1-based slot in the MBR or GPT entry array
 * @param type        MBR partition type byte (0x0c FAT32 LBA, 0x83 Linux, ...); 0 for a GPT partition
 * @param bootable    the active flag (0x80); false for GPT
 * @param startSector first 512-byte sector
 * @param sectors     length in 512-byte sectors
 * @param gptType     the GPT partition type GUID (upper case), or null for an MBR partition
 */
public record Partition(int number, int type, boolean bootable, long startSector, long sectors, String gptType) {

    public static final int SECTOR = 512;
    /** GPT type of an EFI System Partition (FAT). */
    public static final String GPT_EFI_SYSTEM = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B";
    /** GPT type "Microsoft basic data", used for FAT boot partitions of ARM boards. */
    public static final String GPT_BASIC_DATA = "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7";
    /** GPT type "Linux filesystem". */
    public static final String GPT_LINUX = "0FC63DAF-8483-4772-8E79-3D69D8477DE4";

    /** An MBR partition. */
    public Partition(int number, int type, boolean bootable, long startSector, long sectors) {
        this(number, type, bootable, startSector, sectors, null);
    }

    public long offsetBytes() {
        return startSector * SECTOR;
    }

    public long sizeBytes() {
        return sectors * SECTOR;
    }

    public long endBytes() {
        return offsetBytes() + sizeBytes();
    }

    /** The type as listings show it: {@code 0x0c}, or the GPT type GUID. */
    public String typeCode() {
        return gptType != null ? gptType : String.format("0x%02x", type);
    }

    /** FAT12/16/32 MBR types Raspberry Pi firmware can boot from: 0x0b, 0x0c (FAT32), 0x0e, 0x06, 0x04 (FAT16);
     * for GPT the EFI System and basic data types. The file system itself is checked separately. */
    public boolean isFat() {
        if (gptType != null) {
            return gptType.equals(GPT_EFI_SYSTEM) || gptType.equals(GPT_BASIC_DATA);
        }
        return type == 0x0b || type == 0x0c || type == 0x0e || type == 0x06 || type == 0x04;
    }

    /** A short name for the type, for listings. */
    public String typeName() {
        if (gptType != null) {
            return switch (gptType) {
                case GPT_EFI_SYSTEM -> "EFI System";
                case GPT_BASIC_DATA -> "Basic data";
                case GPT_LINUX -> "Linux";
                default -> "unknown";
            };
        }
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
