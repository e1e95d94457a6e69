package dev.fleetlet.agent.release.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.agent.fs.AtomicFiles;
import dev.fleetlet.protocol.message.Release;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The release runtime's own journal, so that after a SIGKILL or a power cut
 * {@code ContainerReleaseRuntime.recover()} knows which release must run.
 *
 * <p>Two slot files, {@code release-journal.0} and {@code .1}, each holding one record: a header (magic, sequence
 * number, length, CRC-32C of those and the payload) and the state as JSON. {@link #save} overwrites the slot that
 * does <em>not</em> hold the newest valid record, in place, and makes it durable with one {@code fdatasync}: no
 * temporary file, rename or directory sync, which cost two more synchronous disk writes per save (a slot file's
 * directory entry is synced once, when it is created). {@link #load} takes the valid record with the highest
 * sequence number; a write torn by a power cut fails its checksum, so the other slot, the state before that write,
 * is read: every save is atomic. A journal written by an older agent ({@code release-journal.json}) is read when no
 * slot holds a valid record, and deleted after the first save.
 *
 * <p>The first {@link #load} of a process makes the slot files it finds durable ({@code fdatasync} each, then the
 * directory) before it trusts them: a process killed between a slot's write and its {@code fdatasync}, or between a
 * slot file's creation and its directory sync, leaves a record that reads back valid from the page cache but is not
 * yet on disk. Acting on it, then overwriting the other slot with a write that a power cut tears, would leave neither
 * record on disk.
 */
public final class ReleaseJournal {
    private static final Logger log = LoggerFactory.getLogger(ReleaseJournal.class);
    private static final int MAGIC = 0x464c4a31; // "FLJ1"
    private static final int HEADER = 4 + 8 + 4 + 4;
    /** Slot files start this large, so that most saves overwrite blocks without growing the file. */
    private static final int INITIAL_SLOT_BYTES = 16 * 1024;

    /** Where a release transition stands. {@link #IDLE}: no transition, {@code current} runs. */
    public enum Phase { IDLE, PULLING, STOPPING_OLD, STARTING_NEW, WAITING_HEALTH, COMMITTED, ROLLING_BACK }

    /**
     * The journal content.
     *
     * @param phase            where the transition stands
     * @param current          the release that runs (during a transition: the old one, until COMMITTED)
     * @param next             the release being installed, null when IDLE
     * @param previous         the release replaced last, whose images are kept until {@code keepPreviousUntil}
     * @param keepPreviousUntil epoch millis after which the previous release's images may be collected
     */
    public record State(Phase phase, Release current, Release next, Release previous, long keepPreviousUntil) {

        public static State empty() {
            return new State(Phase.IDLE, null, null, null, 0);
        }

        public State in(Phase p, Release nextRelease) {
            return new State(p, current, nextRelease, previous, keepPreviousUntil);
        }

        /** The transition ended with {@code running} in place. */
        public State settled(Release running, Release prev, long keepUntil) {
            return new State(Phase.IDLE, running, null, prev, keepUntil);
        }
    }

    /** A valid record read from a slot. */
    private record Record(int slot, long sequence, byte[] payload) {
    }

    private final Path dir;
    private final Path legacy;
    private final ObjectMapper json;
    private final Durability durability;
    /** Slot and sequence number of the newest valid record (-1 and 0: none), known after {@link #load}/{@link #save}. */
    private int newestSlot = -1;
    private long newestSequence;
    private boolean scanned;

    public ReleaseJournal(Path dir, ObjectMapper json) {
        this(dir, json, Durability.SYSTEM);
    }

    ReleaseJournal(Path dir, ObjectMapper json, Durability durability) {
        this.dir = dir;
        this.legacy = dir.resolve("release-journal.json");
        this.json = json;
        this.durability = durability;
    }

    /** How data reaches the disk: {@code fdatasync} of an open slot file, {@code fsync} of the directory. */
    interface Durability {
        Durability SYSTEM = new Durability() {
            @Override
            public void fdatasync(Path file, FileChannel channel) throws IOException {
                channel.force(false);
            }

            @Override
            public void fsyncDirectory(Path directory) {
                AtomicFiles.fsyncDirectory(directory);
            }
        };

        void fdatasync(Path file, FileChannel channel) throws IOException;

        void fsyncDirectory(Path directory);
    }

    /**
     * The persisted state; {@link State#empty()} when none was written.
     *
     * @throws UncheckedIOException a slot or the older agent's file cannot be read, or the newest valid record does
     *                              not parse (not a torn write: that fails its checksum)
     */
    public synchronized State load() {
        Record newest = scan();
        try {
            if (newest != null) {
                return json.readValue(newest.payload(), State.class);
            }
            if (Files.exists(legacy)) {
                return json.readValue(legacy.toFile(), State.class);
            }
            return State.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read release journal in " + dir, e);
        }
    }

    /**
     * Persists {@code state} atomically and durably (one {@code fdatasync}); returns it.
     *
     * @throws UncheckedIOException the directory is not writable or the disk is full; the state before stays the
     *                              persisted one
     */
    public synchronized State save(State state) {
        try {
            if (!scanned) {
                scan();
            }
            byte[] payload = json.writeValueAsBytes(state);
            long sequence = newestSequence + 1;
            int slot = newestSlot == 0 ? 1 : 0;
            write(slot(slot), sequence, payload);
            newestSlot = slot;
            newestSequence = sequence;
            if (Files.deleteIfExists(legacy)) {
                durability.fsyncDirectory(dir);
                log.info("release journal moved to slot files dir={}", dir);
            }
            return state;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write release journal in " + dir, e);
        }
    }

    private void write(Path file, long sequence, byte[] payload) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        header.putInt(MAGIC).putLong(sequence).putInt(payload.length).putInt(crc(sequence, payload)).flip();
        boolean created = !Files.exists(file);
        // directories this write creates (the journal's own, on a first install): their entries are synced too
        java.util.List<Path> newDirs = new java.util.ArrayList<>();
        if (created) {
            for (Path d = dir.toAbsolutePath(); d != null && !Files.exists(d); d = d.getParent()) {
                newDirs.add(d);
            }
            Files.createDirectories(dir);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer body = ByteBuffer.wrap(payload);
            long at = 0;
            while (header.hasRemaining()) {
                at += ch.write(header, at);
            }
            while (body.hasRemaining()) {
                at += ch.write(body, at);
            }
            if (created && at < INITIAL_SLOT_BYTES) {
                ch.write(ByteBuffer.allocate((int) (INITIAL_SLOT_BYTES - at)), at);
            }
            // fdatasync: the blocks, and the size when it grew; a file that did not grow has no metadata to sync
            durability.fdatasync(file, ch);
        }
        if (created) {
            durability.fsyncDirectory(dir);
            for (Path d : newDirs) {
                durability.fsyncDirectory(d.getParent());
            }
        }
    }

    /**
     * Reads both slots and remembers the newest valid one; returns it, or null. The first scan of this instance makes
     * the slot files durable first (see the class comment).
     */
    private Record scan() {
        if (!scanned) {
            syncSlotsFound();
        }
        Record newest = null;
        for (int slot = 0; slot < 2; slot++) {
            Record r = read(slot);
            if (r != null && (newest == null || r.sequence() > newest.sequence())) {
                newest = r;
            }
        }
        newestSlot = newest == null ? -1 : newest.slot();
        newestSequence = newest == null ? 0 : newest.sequence();
        scanned = true;
        return newest;
    }

    /**
     * {@code fdatasync} of every slot file that exists, then of the directory (a no-op for what already is on disk).
     * A slot that cannot be synced is logged and read anyway: refusing to start would not bring its data back.
     */
    private void syncSlotsFound() {
        boolean any = false;
        for (int slot = 0; slot < 2; slot++) {
            Path file = slot(slot);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                any = true;
                durability.fdatasync(file, ch);
            } catch (NoSuchFileException e) {
                // not written yet
            } catch (IOException e) {
                log.warn("release journal slot could not be made durable file={} error={}", file, e.toString());
            }
        }
        if (any) {
            durability.fsyncDirectory(dir);
        }
    }

    private Record read(int slot) {
        Path file = slot(slot);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read release journal slot " + file, e);
        }
        if (bytes.length < HEADER) {
            log.warn("release journal slot ignored, shorter than its header (torn write) file={}", file);
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int magic = b.getInt();
        long sequence = b.getLong();
        int length = b.getInt();
        int crc = b.getInt();
        if (magic != MAGIC || length < 0 || length > bytes.length - HEADER) {
            log.warn("release journal slot ignored, bad header (torn write) file={}", file);
            return null;
        }
        byte[] payload = new byte[length];
        b.get(payload);
        if (crc(sequence, payload) != crc) {
            log.warn("release journal slot ignored, checksum mismatch (torn write) file={} sequence={}", file, sequence);
            return null;
        }
        return new Record(slot, sequence, payload);
    }

    private Path slot(int slot) {
        return dir.resolve("release-journal." + slot);
    }

    private static int crc(long sequence, byte[] payload) {
        CRC32C c = new CRC32C();
        c.update(ByteBuffer.allocate(16).putInt(MAGIC).putLong(sequence).putInt(payload.length).flip());
        c.update(payload);
        return (int) c.getValue();
    }
}
