package dev.fleetlet.agent.queue;

import dev.fleetlet.agent.queue.internal.Segment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which segment files exist and which may go: listing them at open, deleting fully acknowledged ones, and
 * dropping the oldest when the size bound is hit. The newest (active) segment is never deleted here.
 */
final class SegmentRetention {

    /** Logs under the queue's own logger so operators see one source for queue events. */
    private static final Logger log = LoggerFactory.getLogger(StoreAndForwardQueue.class);

    private SegmentRetention() {
    }

    /** Adds every {@code seg-*.log} file in {@code dir} to {@code segments}, keyed by first sequence number. */
    static void list(Path dir, TreeMap<Long, Segment> segments) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(p -> Segment.parseFirstSeq(p.getFileName().toString())
                    .ifPresent(first -> segments.put(first, new Segment(p, first, sizeOf(p)))));
        }
    }

    /**
     * Deletes oldest non-active segments until {@code recordBytes} more fit in {@code maxBytes}; returns
     * how many unacknowledged records were deleted with them.
     */
    static long makeRoom(TreeMap<Long, Segment> segments, long recordBytes, long maxBytes, long ackedSeq)
            throws IOException {
        long droppedNow = 0;
        long total = segments.values().stream().mapToLong(Segment::size).sum();
        while (total + recordBytes > maxBytes && segments.size() > 1) {
            Map.Entry<Long, Segment> oldest = segments.pollFirstEntry();
            long endSeq = segments.firstKey() - 1;
            long undelivered = Math.max(0, endSeq - Math.max(ackedSeq, oldest.getKey() - 1));
            Files.deleteIfExists(oldest.getValue().path());
            total -= oldest.getValue().size();
            if (undelivered > 0) {
                droppedNow += undelivered;
                log.warn("telemetry queue full, dropped oldest segment segment={} undeliveredRecords={} maxBytes={}",
                        oldest.getValue().path().getFileName(), undelivered, maxBytes);
            }
        }
        return droppedNow;
    }

    /** Deletes leading segments whose records are all at or below {@code ackedSeq}; stops at a failed delete. */
    static void deleteAcknowledged(TreeMap<Long, Segment> segments, long ackedSeq) {
        while (segments.size() > 1) {
            Map.Entry<Long, Segment> oldest = segments.firstEntry();
            long endSeq = segments.higherKey(oldest.getKey()) - 1;
            if (endSeq > ackedSeq) {
                return;
            }
            try {
                Files.deleteIfExists(oldest.getValue().path());
            } catch (IOException e) {
                log.warn("cannot delete delivered segment path={} error={}", oldest.getValue().path(), e.toString());
                return;
            }
            segments.pollFirstEntry();
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }
}
