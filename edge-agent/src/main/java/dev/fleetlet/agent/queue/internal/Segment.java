package dev.fleetlet.agent.queue.internal;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One segment file, {@code seg-<first seq, 20 digits>.log}: records with sequence numbers from
 * {@code firstSeq} up to the next segment's first sequence number minus one.
 */
public final class Segment {

    private static final Pattern NAME = Pattern.compile("seg-(\\d{20})\\.log");

    private final Path path;
    private final long firstSeq;
    private long size;

    public Segment(Path path, long firstSeq, long size) {
        this.path = path;
        this.firstSeq = firstSeq;
        this.size = size;
    }

    /** The file name of the segment starting at {@code firstSeq}. */
    public static String fileName(long firstSeq) {
        return String.format("seg-%020d.log", firstSeq);
    }

    /** The first sequence number encoded in a segment file name, if it is one. */
    public static Optional<Long> parseFirstSeq(String fileName) {
        Matcher m = NAME.matcher(fileName);
        return m.matches() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
    }

    public Path path() {
        return path;
    }

    public long firstSeq() {
        return firstSeq;
    }

    /** Bytes of data in the segment (for the active segment: up to the last complete append). */
    public long size() {
        return size;
    }

    public void size(long newSize) {
        this.size = newSize;
    }
}
