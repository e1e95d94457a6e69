package dev.fleetlet.agent.queue;

import dev.fleetlet.agent.fs.AtomicFiles;
import dev.fleetlet.agent.queue.internal.CursorFile;
import dev.fleetlet.agent.queue.internal.RecordFormat;
import dev.fleetlet.agent.queue.internal.Segment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded, append-only, on-disk FIFO of byte records that survives process crashes and power cuts.
 *
 * <p>Layout of its directory: segment files {@code seg-<firstSeq>.log} (see {@link RecordFormat} for the
 * record layout), {@code cursor} (highest acknowledged sequence number) and {@code stream} (the stream id,
 * created with the queue and kept for its life). Records get sequence numbers 1, 2, 3, ... in append
 * order; the numbering continues across restarts.
 *
 * <p>Flow: a producer {@link #append}s; a consumer reads {@link #next} after the last sequence number it
 * handled and {@link #ack}s cumulatively once the record is safely delivered. Unacknowledged records are
 * returned again after a restart (at-least-once, in order). When an append would exceed
 * {@link QueueSettings#maxBytes()}, whole oldest segments are deleted and their undelivered records are
 * counted; the count is handed to the {@link PayloadEncoder} of the next append so it can be reported.
 *
 * <p>Recovery at open: the tail segment is scanned and an incomplete last record (torn write) is cut off
 * and counted in {@link QueueStats#torn()}; damaged records elsewhere are skipped when read and counted
 * in {@link QueueStats#corrupted()}. Durability policy: see {@link QueueSettings}.
 *
 * <p>Thread-safe: all methods are synchronized; appends and reads may come from different threads.
 * The queue starts no threads; call {@link #maybeSync()} periodically to honour the time-based policies.
 */
public final class StoreAndForwardQueue implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StoreAndForwardQueue.class);

    private final Path dir;
    private final QueueSettings settings;
    private final Clock clock;
    private final CursorFile cursorFile;
    private final String streamId;
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private final Set<String> countedDamage = new HashSet<>();

    private FileChannel active;
    private long nextSeq;
    private long ackedSeq;
    private long persistedAck;
    private long pendingLoss;
    private long dropped;
    private long corrupted;
    private long torn;
    private long fsyncs;
    private long cursorWrites;
    private int unsyncedRecords;
    private Instant lastFsync;
    private Instant lastCursorWrite;
    private int acksSinceCursorWrite;
    private ReadPosition readPosition;
    private boolean closed;

    private record ReadPosition(long segmentKey, long pos, long lastSeq) {
    }

    private StoreAndForwardQueue(Path dir, QueueSettings settings, Clock clock) throws IOException {
        this.dir = dir;
        this.settings = settings;
        this.clock = clock;
        this.cursorFile = new CursorFile(dir.resolve("cursor"));
        Files.createDirectories(dir);
        this.streamId = StreamIdFile.loadOrCreate(dir.resolve("stream"));
        this.ackedSeq = cursorFile.load();
        this.persistedAck = ackedSeq;
        this.lastFsync = clock.instant();
        this.lastCursorWrite = clock.instant();
        recover();
    }

    /**
     * Opens (creating if needed) the queue in {@code dir}.
     *
     * @throws UncheckedIOException when the directory cannot be created or read
     */
    public static StoreAndForwardQueue open(Path dir, QueueSettings settings, Clock clock) {
        try {
            return new StoreAndForwardQueue(dir, settings, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open telemetry queue in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The stream id chosen when this queue was created (16 base64url characters), stable across restarts. */
    public String streamId() {
        return streamId;
    }

    /**
     * Appends one record and returns its sequence number. The encoder is told the sequence number and
     * how many records were lost since the last loss report. Makes room by dropping the oldest segments.
     *
     * @throws IllegalArgumentException when the payload is larger than a segment can hold
     * @throws UncheckedIOException     when the write fails (disk full, I/O error); the queue stays consistent
     */
    public synchronized long append(PayloadEncoder encoder) {
        ensureOpen();
        long seq = nextSeq;
        try {
            byte[] payload = encoder.encode(seq, pendingLoss);
            long recordBytes = RecordFormat.HEADER_BYTES + (long) payload.length;
            if (payload.length > RecordFormat.MAX_PAYLOAD || recordBytes > settings.segmentBytes()) {
                throw new IllegalArgumentException("record of " + payload.length + " bytes does not fit a segment of "
                        + settings.segmentBytes() + " bytes");
            }
            if (active == null || segments.lastEntry().getValue().size() + recordBytes > settings.segmentBytes()) {
                roll(seq);
            }
            if (makeRoom(recordBytes)) {
                payload = encoder.encode(seq, pendingLoss);
                recordBytes = RecordFormat.HEADER_BYTES + (long) payload.length;
                makeRoom(recordBytes);
            }
            Segment tail = segments.lastEntry().getValue();
            ByteBuffer[] buffers = RecordFormat.encode(seq, payload);
            long pos = tail.size();
            try {
                active.position(pos);
                while (buffers[1].hasRemaining()) {
                    active.write(buffers);
                }
            } catch (IOException e) {
                active.truncate(pos);
                throw e;
            }
            tail.size(pos + recordBytes);
            nextSeq = seq + 1;
            pendingLoss = 0;
            unsyncedRecords++;
            if (unsyncedRecords >= settings.fsyncEveryRecords()
                    || !clock.instant().isBefore(lastFsync.plus(settings.fsyncInterval()))) {
                fsync();
            }
            return seq;
        } catch (IOException e) {
            throw new UncheckedIOException("telemetry queue append failed in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The first intact record with a sequence number greater than {@code afterSeq}, in order; empty when
     * there is none yet. Damaged records on the way are skipped and counted.
     */
    public synchronized Optional<QueuedRecord> next(long afterSeq) {
        ensureOpen();
        try {
            ReadPosition at = readPosition != null && readPosition.lastSeq() == afterSeq
                    && segments.containsKey(readPosition.segmentKey()) ? readPosition : seek(afterSeq);
            while (at != null) {
                Segment segment = segments.get(at.segmentKey());
                Optional<QueuedRecord> found = scanSegment(segment, at, afterSeq);
                if (found.isPresent()) {
                    return found;
                }
                Map.Entry<Long, Segment> following = segments.higherEntry(segment.firstSeq());
                at = following == null ? null : new ReadPosition(following.getKey(), 0, following.getKey() - 1);
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("telemetry queue read failed in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Acknowledges every record up to and including {@code seq}: they will not be returned again, and
     * segments holding only acknowledged records are deleted. Persists the cursor per the policy.
     */
    public synchronized void ack(long seq) {
        ensureOpen();
        if (seq <= ackedSeq) {
            return;
        }
        ackedSeq = Math.min(seq, nextSeq - 1);
        acksSinceCursorWrite++;
        if (acksSinceCursorWrite >= settings.cursorSyncEveryAcks()
                || !clock.instant().isBefore(lastCursorWrite.plus(settings.cursorSyncInterval()))) {
            writeCursor();
        }
        deleteAcknowledgedSegments();
    }

    /** Applies the time-based fsync and cursor policies; call every few seconds. */
    public synchronized void maybeSync() {
        if (closed) {
            return;
        }
        Instant now = clock.instant();
        try {
            if (unsyncedRecords > 0 && !now.isBefore(lastFsync.plus(settings.fsyncInterval()))) {
                fsync();
            }
        } catch (IOException e) {
            log.warn("telemetry queue fsync failed dir={} error={}", dir, e.toString());
        }
        if (persistedAck != ackedSeq && !now.isBefore(lastCursorWrite.plus(settings.cursorSyncInterval()))) {
            writeCursor();
        }
    }

    /** Forces appended records and the cursor to disk now (used at shutdown). */
    public synchronized void flush() {
        ensureOpen();
        try {
            if (unsyncedRecords > 0) {
                fsync();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("telemetry queue fsync failed in " + dir, e);
        }
        if (persistedAck != ackedSeq) {
            writeCursor();
        }
    }

    public synchronized QueueStats stats() {
        long bytes = segments.values().stream().mapToLong(Segment::size).sum();
        return new QueueStats(nextSeq - 1, ackedSeq, bytes, segments.size(), dropped, corrupted, torn, fsyncs,
                cursorWrites);
    }

    /** Flushes and closes; further calls fail with {@link IllegalStateException}. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            flush();
            if (active != null) {
                active.close();
            }
        } catch (IOException | UncheckedIOException e) {
            log.warn("telemetry queue close failed dir={} error={}", dir, e.toString());
        } finally {
            closed = true;
        }
    }

    private void recover() throws IOException {
        SegmentRetention.list(dir, segments);
        long lastSeq = ackedSeq;
        if (!segments.isEmpty()) {
            Segment tail = segments.lastEntry().getValue();
            lastSeq = Math.max(lastSeq, tail.firstSeq() - 1);
            active = FileChannel.open(tail.path(), StandardOpenOption.READ, StandardOpenOption.WRITE);
            TailRecovery.Result scanned = TailRecovery.scan(active, lastSeq);
            lastSeq = scanned.lastSeq();
            long end = scanned.validEnd();
            long limit = scanned.fileSize();
            if (scanned.torn()) {
                torn++;
                pendingLoss++;
                log.warn("telemetry queue cut an incomplete record off its tail segment={} validBytes={} cutBytes={}",
                        tail.path().getFileName(), end, limit - end);
                active.truncate(end);
                active.force(true);
            }
            tail.size(end);
        }
        nextSeq = lastSeq + 1;
        deleteAcknowledgedSegments();
        log.info("telemetry queue opened dir={} stream={} segments={} lastSeq={} ackedSeq={}", dir, streamId,
                segments.size(), nextSeq - 1, ackedSeq);
    }

    private ReadPosition seek(long afterSeq) {
        Map.Entry<Long, Segment> e = segments.floorEntry(afterSeq + 1);
        if (e == null) {
            e = segments.firstEntry();
        }
        return e == null ? null : new ReadPosition(e.getKey(), 0, e.getKey() - 1);
    }

    private Optional<QueuedRecord> scanSegment(Segment segment, ReadPosition from, long afterSeq) throws IOException {
        boolean isActive = segment == segments.lastEntry().getValue() && active != null;
        FileChannel ch = isActive ? active : FileChannel.open(segment.path(), StandardOpenOption.READ);
        try {
            long limit = isActive ? segment.size() : ch.size();
            Map.Entry<Long, Segment> following = segments.higherEntry(segment.firstSeq());
            long seqAfterSegment = following != null ? following.getKey() : nextSeq;
            RecordFormat.Valid v = SegmentScan.firstAfter(ch, from.pos(), limit, from.lastSeq(), afterSeq,
                    seqAfterSegment, (pos, lost, why) -> countDamage(segment, pos, lost, why));
            if (v == null) {
                return Optional.empty();
            }
            readPosition = new ReadPosition(segment.firstSeq(), v.next(), v.seq());
            return Optional.of(new QueuedRecord(v.seq(), v.payload()));
        } finally {
            if (!isActive) {
                ch.close();
            }
        }
    }

    private void countDamage(Segment segment, long pos, long lost, RecordFormat.Invalid why) {
        if (countedDamage.add(segment.firstSeq() + "@" + pos)) {
            corrupted += lost;
            pendingLoss += lost;
            log.warn("telemetry queue skipped damaged records segment={} offset={} lost={} why={}",
                    segment.path().getFileName(), pos, lost, why.why());
        }
    }

    private void roll(long firstSeq) throws IOException {
        if (active != null) {
            fsync();
            active.close();
        }
        Path path = dir.resolve(Segment.fileName(firstSeq));
        active = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        segments.put(firstSeq, new Segment(path, firstSeq, 0));
        AtomicFiles.fsyncDirectory(dir);
    }

    /** Deletes oldest non-active segments until {@code recordBytes} more fit; true when any record was lost. */
    private boolean makeRoom(long recordBytes) throws IOException {
        long lost = SegmentRetention.makeRoom(segments, recordBytes, settings.maxBytes(), ackedSeq);
        dropped += lost;
        pendingLoss += lost;
        return lost > 0;
    }

    private void deleteAcknowledgedSegments() {
        SegmentRetention.deleteAcknowledged(segments, ackedSeq);
    }

    private void fsync() throws IOException {
        if (active != null) {
            active.force(false);
            fsyncs++;
        }
        unsyncedRecords = 0;
        lastFsync = clock.instant();
    }

    private void writeCursor() {
        try {
            cursorFile.store(ackedSeq);
            persistedAck = ackedSeq;
            cursorWrites++;
        } catch (IOException e) {
            log.warn("cannot persist telemetry queue cursor dir={} error={}", dir, e.toString());
        }
        acksSinceCursorWrite = 0;
        lastCursorWrite = clock.instant();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("telemetry queue is closed: " + dir);
        }
    }
}
