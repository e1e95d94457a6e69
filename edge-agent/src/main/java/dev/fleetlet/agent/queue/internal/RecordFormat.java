package dev.fleetlet.agent.queue.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * The on-disk layout of one queue record:
 *
 * <pre>
 * offset size
 *   0     4   magic 0x464C5431 ("FLT1"), lets a reader find the next record after damage
 *   4     4   payload length n (big-endian)
 *   8     8   sequence number
 *  16     4   CRC32C over bytes 4..16 (length, seq) and the payload
 *  20     n   payload
 * </pre>
 *
 * A record is valid only when the magic matches, the length is plausible, the whole record lies inside
 * the file and the CRC matches, so a torn write (power cut mid-record) or flipped bits are detected.
 */
public final class RecordFormat {

    public static final int MAGIC = 0x464C5431;
    public static final int HEADER_BYTES = 20;
    /** Largest payload a record may carry (a telemetry batch is at most 64 KiB). */
    public static final int MAX_PAYLOAD = 4 * 1024 * 1024;

    private static final int RESYNC_CHUNK = 64 * 1024;

    private RecordFormat() {
    }

    /** The result of reading at a position. */
    public sealed interface Read permits Valid, End, Invalid {
    }

    /** A valid record; the next one starts at {@code next}. */
    public record Valid(long seq, byte[] payload, long next) implements Read {
    }

    /** The position is exactly the end of the data. */
    public record End() implements Read {
    }

    /** The bytes at the position do not form a valid record. */
    public record Invalid(String why) implements Read {
    }

    /** Header and payload as buffers, for one gathering write. */
    public static ByteBuffer[] encode(long seq, byte[] payload) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        header.putInt(MAGIC).putInt(payload.length).putLong(seq);
        CRC32C crc = new CRC32C();
        crc.update(header.array(), 4, 12);
        crc.update(payload, 0, payload.length);
        header.putInt((int) crc.getValue());
        header.flip();
        return new ByteBuffer[] {header, ByteBuffer.wrap(payload)};
    }

    /** Reads the record at {@code pos}; {@code limit} is the end of the data in the file. */
    public static Read readAt(FileChannel ch, long pos, long limit) throws IOException {
        if (pos >= limit) {
            return new End();
        }
        if (limit - pos < HEADER_BYTES) {
            return new Invalid("only " + (limit - pos) + " bytes left, a header needs " + HEADER_BYTES);
        }
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        readFully(ch, header, pos);
        header.flip();
        int magic = header.getInt();
        int length = header.getInt();
        long seq = header.getLong();
        int storedCrc = header.getInt();
        if (magic != MAGIC) {
            return new Invalid("bad magic");
        }
        if (length < 0 || length > MAX_PAYLOAD) {
            return new Invalid("implausible length " + length);
        }
        if (pos + HEADER_BYTES + length > limit) {
            return new Invalid("record of " + length + " bytes runs past the end of the data");
        }
        ByteBuffer payload = ByteBuffer.allocate(length);
        readFully(ch, payload, pos + HEADER_BYTES);
        CRC32C crc = new CRC32C();
        crc.update(header.array(), 4, 12);
        crc.update(payload.array(), 0, length);
        if ((int) crc.getValue() != storedCrc) {
            return new Invalid("CRC mismatch");
        }
        return new Valid(seq, payload.array(), pos + HEADER_BYTES + length);
    }

    /**
     * Finds the next valid record strictly after {@code from - 1}, scanning for the magic.
     *
     * @return its position, or -1 when no valid record follows
     */
    public static long resync(FileChannel ch, long from, long limit) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(RESYNC_CHUNK + 3);
        long base = from;
        while (base + HEADER_BYTES <= limit) {
            chunk.clear();
            int want = (int) Math.min(chunk.capacity(), limit - base);
            chunk.limit(want);
            readFully(ch, chunk, base);
            byte[] a = chunk.array();
            for (int i = 0; i + 4 <= want; i++) {
                if (a[i] == 0x46 && a[i + 1] == 0x4C && a[i + 2] == 0x54 && a[i + 3] == 0x31
                        && readAt(ch, base + i, limit) instanceof Valid) {
                    return base + i;
                }
            }
            base += Math.max(1, want - 3);
        }
        return -1;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        long p = pos;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, p);
            if (n < 0) {
                throw new IOException("unexpected end of file at " + p);
            }
            p += n;
        }
    }
}
