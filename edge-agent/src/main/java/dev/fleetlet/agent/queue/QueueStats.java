package dev.fleetlet.agent.queue;

/**
 * Counters of a {@link StoreAndForwardQueue}, since it was opened (except the sequence numbers).
 *
 * @param lastSeq      the sequence number of the newest record (0 when none was ever appended)
 * @param ackedSeq     the highest acknowledged sequence number
 * @param bytesOnDisk  total size of the segment files
 * @param segments     number of segment files
 * @param dropped      undelivered records deleted to respect the size bound
 * @param corrupted    records skipped on read because their bytes were damaged
 * @param torn         incomplete records cut off the tail at open (a write interrupted by a crash or power cut)
 * @param fsyncs       data fsyncs done
 * @param cursorWrites cursor files written
 */
public record QueueStats(long lastSeq, long ackedSeq, long bytesOnDisk, int segments, long dropped, long corrupted,
                         long torn, long fsyncs, long cursorWrites) {

    /** Records appended and not yet acknowledged (an upper bound when records were dropped). */
    public long pending() {
        return Math.max(0, lastSeq - ackedSeq);
    }
}
