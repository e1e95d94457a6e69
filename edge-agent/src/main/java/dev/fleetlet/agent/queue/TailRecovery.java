package dev.fleetlet.agent.queue;

import dev.fleetlet.agent.queue.internal.RecordFormat;
import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * Recovery scan of the tail segment at open: walks its records (resynchronising past damaged ones) to
 * find the highest sequence number and the end of the last intact record. Anything after that end is an
 * incomplete (torn) write that the caller cuts off.
 */
final class TailRecovery {

    /** Outcome: highest intact sequence number seen (or {@code floorSeq}), and the byte end of intact data. */
    record Result(long lastSeq, long validEnd, long fileSize) {

        boolean torn() {
            return validEnd < fileSize;
        }
    }

    private TailRecovery() {
    }

    /** Scans {@code tail} from offset 0; {@code floorSeq} is returned as lastSeq when no record is higher. */
    static Result scan(FileChannel tail, long floorSeq) throws IOException {
        long lastSeq = floorSeq;
        long pos = 0;
        long end = 0;
        long limit = tail.size();
        while (pos < limit) {
            RecordFormat.Read read = RecordFormat.readAt(tail, pos, limit);
            if (read instanceof RecordFormat.Valid v) {
                lastSeq = Math.max(lastSeq, v.seq());
                pos = v.next();
                end = pos;
            } else {
                long resumed = RecordFormat.resync(tail, pos + 1, limit);
                if (resumed < 0) {
                    break;
                }
                pos = resumed;
            }
        }
        return new Result(lastSeq, end, limit);
    }
}
