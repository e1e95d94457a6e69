package dev.fleetlet.provisioning.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The MBR partition table of a disk image or block device, read from its first sector (no root, no loop
 * device). Raspberry Pi images use MBR; a GPT disk (protective MBR type 0xee) is read by {@link GptReader}.
 *
 * @param partitions the used primary partitions in slot order
 * @param diskBytes  size of the image or device in bytes
 */
public record PartitionTable(List<Partition> partitions, long diskBytes) {

    public PartitionTable {
        partitions = List.copyOf(partitions);
    }

    /**
     * Reads and validates the table.
     *
     * @param disk      image file or block device
     * @param diskBytes its size (for a block device the caller finds it in sysfs)
     * @throws ImageException naming the reason when there is no MBR signature, a GPT, or a partition beyond the end
     */
    public static PartitionTable read(Path disk, long diskBytes) {
        ByteBuffer mbr = ByteBuffer.allocate(Partition.SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.READ)) {
            while (mbr.hasRemaining() && ch.read(mbr, mbr.position()) > 0) {
                // read until the sector is full or the file ends
            }
        } catch (IOException e) {
            throw new ImageException("cannot read " + disk + ": " + e.getMessage(), e);
        }
        if (mbr.position() < Partition.SECTOR) {
            throw new ImageException("not a disk image: " + disk + " is " + mbr.position() + " bytes, shorter than one 512-byte sector");
        }
        int sig = mbr.getShort(510) & 0xffff;
        if (sig != 0xaa55) {
            throw new ImageException(String.format("not a disk image: no MBR signature 0x55AA at byte 510 (found 0x%02X%02X)",
                    mbr.get(510) & 0xff, mbr.get(511) & 0xff));
        }
        if (looksLikeFatBootSector(mbr)) {
            throw new ImageException("not a whole disk: " + disk + " starts with a FAT file system, not a partition table "
                    + "(a partition such as /dev/sdb1 instead of the disk /dev/sdb?)");
        }
        List<Partition> parts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int base = 446 + i * 16;
            int status = mbr.get(base) & 0xff;
            int type = mbr.get(base + 4) & 0xff;
            long start = Integer.toUnsignedLong(mbr.getInt(base + 8));
            long count = Integer.toUnsignedLong(mbr.getInt(base + 12));
            if (type == 0 || count == 0) {
                continue;
            }
            if (status != 0 && status != 0x80) {
                throw new ImageException(String.format("not a disk image: partition %d has an invalid status byte 0x%02x", i + 1, status));
            }
            if (type == 0xee) {
                return GptReader.read(disk, diskBytes);
            }
            parts.add(new Partition(i + 1, type, status == 0x80, start, count));
        }
        if (parts.isEmpty()) {
            throw new ImageException("not a disk image: the MBR has no partitions");
        }
        return checked(parts, diskBytes);
    }

    static PartitionTable checked(List<Partition> parts, long diskBytes) {
        for (Partition p : parts) {
            if (p.endBytes() > diskBytes) {
                throw new ImageException("image truncated: partition " + p.number() + " ends at byte " + p.endBytes()
                        + " beyond file size " + diskBytes);
            }
        }
        return new PartitionTable(parts, diskBytes);
    }

    /** A FAT volume boot record: x86 jump, then "FAT12/16" at 54 or "FAT32" at 82 as the file system type label. */
    private static boolean looksLikeFatBootSector(ByteBuffer sector) {
        int jump = sector.get(0) & 0xff;
        if (jump != 0xeb && jump != 0xe9) {
            return false;
        }
        String at54 = new String(sector.array(), 54, 5, java.nio.charset.StandardCharsets.US_ASCII);
        String at82 = new String(sector.array(), 82, 5, java.nio.charset.StandardCharsets.US_ASCII);
        return at54.startsWith("FAT1") || at82.equals("FAT32");
    }

    /**
     * The boot partition: the first partition, which must be FAT.
     *
     * @throws ImageException when the first partition is not FAT
     */
    public Partition bootPartition() {
        Partition first = partitions.get(0);
        if (!first.isFat()) {
            throw new ImageException(String.format("first partition is not FAT (type %s, %s): "
                    + "expected the boot partition (MBR type 0x0c/0x0b/0x0e, GPT EFI System or basic data)",
                    first.typeCode(), first.typeName()));
        }
        return first;
    }
}
