package dev.fleetlet.agent.queue;

import dev.fleetlet.agent.queue.internal.RecordFormat;
import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * Reads forward through one segment for the first intact record after a given sequence number, skipping
 * damaged stretches and reporting how many records each stretch lost to a {@link DamageSink}.
 */
final class SegmentScan {

    /** Receives one damaged stretch: its byte offset, the records it lost (at least 1) and why. */
    interface DamageSink {
        void damaged(long pos, long lost, RecordFormat.Invalid why);
    }

    private SegmentScan() {
    }

    /**
     * Scans {@code ch} from {@code pos} (the previous record there having sequence {@code previousSeq}) up to
     * {@code limit}; returns the first intact record with sequence greater than {@code afterSeq}, or null.
     * {@code seqAfterSegment} is the first sequence number beyond this segment, used to size a damaged
     * stretch that runs to its end.
     */
    static RecordFormat.Valid firstAfter(FileChannel ch, long pos, long limit, long previousSeq, long afterSeq,
            long seqAfterSegment, DamageSink damage) throws IOException {
        while (true) {
            RecordFormat.Read read = RecordFormat.readAt(ch, pos, limit);
            if (read instanceof RecordFormat.Valid v) {
                if (v.seq() > afterSeq) {
                    return v;
                }
                previousSeq = v.seq();
                pos = v.next();
            } else if (read instanceof RecordFormat.End) {
                return null;
            } else {
                long resumed = RecordFormat.resync(ch, pos + 1, limit);
                long nextValidSeq = resumed >= 0 ? ((RecordFormat.Valid) RecordFormat.readAt(ch, resumed, limit)).seq()
                        : seqAfterSegment;
                // records between the last good one and the next good one are gone; ones at or below
                // afterSeq were already handed out before (e.g. before a restart) and are not counted again
                long lost = nextValidSeq - Math.max(previousSeq, afterSeq) - 1;
                if (nextValidSeq > afterSeq) {
                    damage.damaged(pos, Math.max(1, lost), (RecordFormat.Invalid) read);
                }
                if (resumed < 0) {
                    return null;
                }
                pos = resumed;
            }
        }
    }
}
