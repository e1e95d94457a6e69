package dev.fleetlet.agent.events;

import dev.fleetlet.agent.fs.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-device event sequence number ({@code seq}, from 1), strictly increasing across agent restarts.
 * Instead of a write per event it reserves blocks of {@value #BLOCK} numbers: the file holds the highest
 * reserved number, and a restart continues above it (numbers left unused in a block are skipped, which
 * receivers tolerate: they de-duplicate on {@code (deviceId, seq, ts)} and never expect contiguity).
 * An unreadable file is logged and replaced; numbering then restarts above 0, which the timestamp part of
 * the de-duplication key still tells apart.
 */
public final class EventSequence {

    static final int BLOCK = 100;
    private static final Logger log = LoggerFactory.getLogger(EventSequence.class);

    private final Path file;
    private long next;
    private long reservedUpTo;

    public EventSequence(Path file) {
        this.file = file;
        long stored = 0;
        if (Files.isRegularFile(file)) {
            try {
                stored = Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).strip());
            } catch (IOException | NumberFormatException e) {
                log.warn("event sequence file unreadable, restarting numbering path={} error={}", file, e.toString());
            }
        }
        this.next = Math.max(0, stored) + 1;
        this.reservedUpTo = Math.max(0, stored);
    }

    /** The next number; reserves a new block on disk when the current one is used up. */
    public synchronized long next() {
        if (next > reservedUpTo) {
            long upTo = next + BLOCK - 1;
            try {
                AtomicFiles.write(file, Long.toString(upTo).getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot reserve event sequence numbers in " + file, e);
            }
            reservedUpTo = upTo;
        }
        return next++;
    }
}
