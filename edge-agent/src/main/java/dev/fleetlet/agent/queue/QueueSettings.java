package dev.fleetlet.agent.queue;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and durability policy of the {@link StoreAndForwardQueue}.
 *
 * <p><b>Durability versus SD-card wear.</b> Every {@code fsync} forces the partially filled 4 KiB page
 * of the active segment (and, on ext4, a journal commit) to the card; a card rewrites a whole erase
 * block for it, so fsync count, not byte count, is what wears it out. The defaults fsync after
 * {@value #DEFAULT_FSYNC_EVERY_RECORDS} records or 30 s, whichever comes first: with one batch every
 * 10 s that is ≤ 120 fsyncs per hour (plus ≤ 60 cursor renames per hour, see below), against 360 for
 * fsync-per-record. What a power cut can lose: the records appended since the last fsync (at most
 * {@code fsyncEveryRecords} records or {@code fsyncInterval} of data; Linux also writes dirty pages
 * back by itself after ~30 s, so in practice rarely more than that). A lost or torn tail is detected by
 * CRC at the next start and counted, never delivered half. A process crash (SIGKILL, OOM) loses nothing:
 * written records are in the page cache.
 *
 * <p>Caveat of the relaxed policy: a record can be published (from the page cache) before it is fsynced.
 * If power is then cut, the record is gone from the card and its sequence number is given to the next
 * batch after the reboot; the server, de-duplicating by {@code (stream, seq)}, keeps the first one and
 * discards the second. The number of batches lost is the same as if the first had never been sent, but
 * the server holds the older ones. Use {@link #strict()} where that matters more than card wear.
 *
 * <p>The read cursor (the highest sequence number the broker acknowledged) is persisted after
 * {@code cursorSyncEveryAcks} acknowledgements or {@code cursorSyncInterval}, whichever first. A power
 * cut can therefore re-deliver up to that many batches (at-least-once); the server de-duplicates by
 * {@code (stream, seq)}. Nothing acknowledged is ever needed again, so a stale cursor never loses data.
 *
 * @param maxBytes            total size bound of all segment files; when an append would exceed it, the
 *                            oldest segments are deleted first and their undelivered records counted as dropped
 * @param segmentBytes        size at which the active segment is closed and a new one started; at most half of {@code maxBytes}
 * @param fsyncEveryRecords   fsync the active segment after this many appended records (1 = every record)
 * @param fsyncInterval       ... or when this much time passed since the last fsync
 * @param cursorSyncEveryAcks persist the cursor after this many acknowledgements
 * @param cursorSyncInterval  ... or when this much time passed since it was last persisted
 */
public record QueueSettings(long maxBytes, long segmentBytes, int fsyncEveryRecords, Duration fsyncInterval,
                            int cursorSyncEveryAcks, Duration cursorSyncInterval) {

    public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;
    public static final long DEFAULT_SEGMENT_BYTES = 1024L * 1024;
    public static final int DEFAULT_FSYNC_EVERY_RECORDS = 16;
    public static final int DEFAULT_CURSOR_SYNC_EVERY_ACKS = 32;

    public QueueSettings {
        Objects.requireNonNull(fsyncInterval, "fsyncInterval");
        Objects.requireNonNull(cursorSyncInterval, "cursorSyncInterval");
        if (segmentBytes < 4096) {
            throw new IllegalArgumentException("segmentBytes: expected at least 4096, got " + segmentBytes);
        }
        if (maxBytes < 2 * segmentBytes) {
            throw new IllegalArgumentException("maxBytes: expected at least twice segmentBytes (" + 2 * segmentBytes
                    + "), got " + maxBytes);
        }
        if (fsyncEveryRecords < 1) {
            throw new IllegalArgumentException("fsyncEveryRecords: expected at least 1, got " + fsyncEveryRecords);
        }
        if (cursorSyncEveryAcks < 1) {
            throw new IllegalArgumentException("cursorSyncEveryAcks: expected at least 1, got " + cursorSyncEveryAcks);
        }
        if (fsyncInterval.isNegative() || cursorSyncInterval.isNegative()) {
            throw new IllegalArgumentException("fsyncInterval/cursorSyncInterval: expected a non-negative duration");
        }
    }

    /** 64 MiB in 1 MiB segments, fsync per 16 records or 30 s, cursor per 32 acks or 60 s. */
    public static QueueSettings defaults() {
        return new QueueSettings(DEFAULT_MAX_BYTES, DEFAULT_SEGMENT_BYTES, DEFAULT_FSYNC_EVERY_RECORDS,
                Duration.ofSeconds(30), DEFAULT_CURSOR_SYNC_EVERY_ACKS, Duration.ofSeconds(60));
    }

    /** Every record and every acknowledgement synced: for tests and for operators who value data over the card. */
    public QueueSettings strict() {
        return new QueueSettings(maxBytes, segmentBytes, 1, Duration.ZERO, 1, Duration.ZERO);
    }

    /** A copy with other size limits. */
    public QueueSettings withSizes(long newMaxBytes, long newSegmentBytes) {
        return new QueueSettings(newMaxBytes, newSegmentBytes, fsyncEveryRecords, fsyncInterval, cursorSyncEveryAcks,
                cursorSyncInterval);
    }
}
