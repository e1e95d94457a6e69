package dev.fleetlet.images.check;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A raw disk image file and its MBR partition table, read in Java. A Fleetlet image has exactly a FAT32 LBA boot
 * partition (type 0x0c, bootable) followed by a Linux root partition (0x83) whose ext4 superblock is intact.
 * {@link #open} refuses anything else with the reason; an xz-compressed image is decompressed into a temporary
 * file first (deleted by {@link #close}).
 */
public final class DiskImage implements AutoCloseable {
    static final int SECTOR = 512;
    private static final byte[] XZ_MAGIC = {(byte) 0xFD, '7', 'z', 'X', 'Z', 0};

    /** One MBR entry; offsets in bytes. */
    public record Partition(int number, int type, boolean bootable, long offset, long size) {
    }

    private final Path file;
    private final boolean temporary;
    private final long diskId;
    private final List<Partition> partitions;

    private DiskImage(Path file, boolean temporary, long diskId, List<Partition> partitions) {
        this.file = file;
        this.temporary = temporary;
        this.diskId = diskId;
        this.partitions = partitions;
    }

    /** Opens {@code image} (raw or xz), refusing a file that is not a Fleetlet disk layout. */
    public static DiskImage open(Path image) {
        if (!Files.isRegularFile(image)) {
            throw new ImageCheckException("no such image file: " + image);
        }
        Path raw = image;
        boolean temporary = false;
        if (startsWith(image, XZ_MAGIC)) {
            Tools.require("xz");
            try {
                raw = Files.createTempFile("fleetlet-image-check", ".img");
            } catch (IOException e) {
                throw new ImageCheckException("cannot create a temporary file: " + e.getMessage(), e);
            }
            temporary = true;
            ProcessBuilder pb = new ProcessBuilder("xz", "-dc", image.toString()).redirectOutput(raw.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            try {
                int rc = pb.start().waitFor();
                if (rc != 0) {
                    Files.deleteIfExists(raw);
                    throw new ImageCheckException("corrupt xz image " + image + ": xz -d exited " + rc);
                }
            } catch (IOException e) {
                throw new ImageCheckException("cannot decompress " + image + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ImageCheckException("interrupted while decompressing " + image, e);
            }
        }
        try {
            return read(raw, temporary);
        } catch (RuntimeException e) {
            if (temporary) {
                deleteQuietly(raw);
            }
            throw e;
        }
    }

    private static DiskImage read(Path raw, boolean temporary) {
        try (FileChannel ch = FileChannel.open(raw, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < SECTOR) {
                throw new ImageCheckException("not a disk image: " + size + " bytes, shorter than one 512-byte sector");
            }
            ByteBuffer mbr = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(mbr, 0);
            int signature = mbr.getShort(510) & 0xFFFF;
            if (signature != 0xAA55) {
                throw new ImageCheckException(String.format(
                        "not a disk image: no MBR signature 0x55AA at byte 510 (found 0x%04X)", Short.reverseBytes((short) signature) & 0xFFFF));
            }
            List<Partition> parts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int at = 446 + 16 * i;
                int type = mbr.get(at + 4) & 0xFF;
                if (type == 0) {
                    continue;
                }
                long start = Integer.toUnsignedLong(mbr.getInt(at + 8)) * SECTOR;
                long length = Integer.toUnsignedLong(mbr.getInt(at + 12)) * SECTOR;
                if (start + length > size) {
                    throw new ImageCheckException("image truncated: partition " + (i + 1) + " ends at byte "
                            + (start + length) + " beyond file size " + size);
                }
                parts.add(new Partition(i + 1, type, (mbr.get(at) & 0xFF) == 0x80, start, length));
            }
            if (parts.size() == 1 && parts.get(0).type() == 0xEE) {
                throw new ImageCheckException("GPT disk (protective MBR): a Fleetlet Raspberry Pi image uses an MBR");
            }
            if (parts.size() != 2 || parts.get(0).number() != 1 || parts.get(1).number() != 2) {
                throw new ImageCheckException("not a Fleetlet image: expected partitions 1 (boot) and 2 (root), found "
                        + parts.size() + " partition(s)");
            }
            Partition boot = parts.get(0);
            Partition root = parts.get(1);
            if (boot.type() != 0x0C) {
                throw new ImageCheckException(String.format("not a Fleetlet image: partition 1 has type 0x%02x, not 0x0c (FAT32 LBA)", boot.type()));
            }
            if (root.type() != 0x83) {
                throw new ImageCheckException(String.format("not a Fleetlet image: partition 2 has type 0x%02x, not 0x83 (Linux)", root.type()));
            }
            ByteBuffer bootSector = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(bootSector, boot.offset());
            if ((bootSector.getShort(510) & 0xFFFF) != 0xAA55) {
                throw new ImageCheckException("partition 1 is typed FAT but has no boot sector signature 0x55AA");
            }
            ByteBuffer superblock = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(superblock, root.offset() + 1024 + 56);
            if ((superblock.getShort(0) & 0xFFFF) != 0xEF53) {
                throw new ImageCheckException("partition 2 holds no ext4 file system (superblock magic 0xEF53 missing)");
            }
            return new DiskImage(raw, temporary, Integer.toUnsignedLong(mbr.getInt(440)), List.copyOf(parts));
        } catch (IOException e) {
            throw new ImageCheckException("cannot read " + raw + ": " + e.getMessage(), e);
        }
    }

    private static boolean startsWith(Path file, byte[] magic) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(magic.length);
            return java.util.Arrays.equals(head, magic);
        } catch (IOException e) {
            throw new ImageCheckException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a temporary file in java.io.tmpdir; nothing else to do
        }
    }

    /** The raw image file the readers work on (the decompressed copy for an xz image). */
    public Path rawFile() {
        return file;
    }

    /** MBR disk identifier (bytes 440..443); the kernel names partitions PARTUUID=&lt;id&gt;-0N. */
    public long diskId() {
        return diskId;
    }

    public List<Partition> partitions() {
        return partitions;
    }

    public Partition boot() {
        return partitions.get(0);
    }

    public Partition root() {
        return partitions.get(1);
    }

    @Override
    public void close() {
        if (temporary) {
            deleteQuietly(file);
        }
    }
}
