package dev.fleetlet.provisioning.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the primary GPT (header at LBA 1, 512-byte logical sectors) of a disk whose MBR is protective. CRCs
 * are not verified; the header signature, entry size and every partition's extent are. Used partitions are
 * returned in entry order.
 */
final class GptReader {

    private static final int MAX_ENTRIES = 1024;

    private GptReader() {
    }

    static PartitionTable read(Path disk, long diskBytes) {
        try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.READ)) {
            ByteBuffer header = readFully(ch, Partition.SECTOR, Partition.SECTOR);
            if (header == null || !"EFI PART".equals(new String(header.array(), 0, 8, java.nio.charset.StandardCharsets.US_ASCII))) {
                throw new ImageException("protective MBR (type 0xee) but no GPT header signature \"EFI PART\" at byte 512");
            }
            long entriesLba = header.getLong(72);
            int count = header.getInt(80);
            int size = header.getInt(84);
            if (count < 1 || count > MAX_ENTRIES || size < 128 || size > 4096 || size % 8 != 0) {
                throw new ImageException("GPT header has an implausible partition array: " + count + " entries of " + size + " bytes");
            }
            ByteBuffer entries = readFully(ch, entriesLba * Partition.SECTOR, count * size);
            if (entries == null) {
                throw new ImageException("image truncated: the GPT partition array at LBA " + entriesLba + " is beyond file size " + diskBytes);
            }
            List<Partition> parts = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int base = i * size;
                String type = guid(entries, base);
                if (type.equals("00000000-0000-0000-0000-000000000000")) {
                    continue;
                }
                long first = entries.getLong(base + 32);
                long last = entries.getLong(base + 40);
                if (first < 1 || last < first) {
                    throw new ImageException("GPT entry " + (i + 1) + " has an invalid extent " + first + ".." + last);
                }
                parts.add(new Partition(i + 1, 0, false, first, last - first + 1, type));
            }
            if (parts.isEmpty()) {
                throw new ImageException("not a disk image: the GPT has no partitions");
            }
            return PartitionTable.checked(parts, diskBytes);
        } catch (IOException e) {
            throw new ImageException("cannot read " + disk + ": " + e.getMessage(), e);
        }
    }

    private static ByteBuffer readFully(FileChannel ch, long offset, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buf.hasRemaining()) {
            if (ch.read(buf, offset + buf.position()) <= 0) {
                return null;
            }
        }
        return buf;
    }

    /** A GUID as text: the first three fields are little-endian on disk, the rest big-endian. */
    private static String guid(ByteBuffer b, int at) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%08X-%04X-%04X-", b.getInt(at), b.getShort(at + 4), b.getShort(at + 6)));
        for (int i = 8; i < 16; i++) {
            if (i == 10) {
                s.append('-');
            }
            s.append(String.format(Locale.ROOT, "%02X", b.get(at + i)));
        }
        return s.toString();
    }
}
