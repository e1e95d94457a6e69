package dev.fleetlet.agent.image;

import java.time.Clock;
import java.time.Duration;

/**
 * Byte-level progress of one image pull, as the download loop sees it. {@link ImagePuller} calls it through a
 * {@link #throttled} wrapper, so a listener hears at most one report per interval while bytes flow, plus a last
 * one when every blob is stored.
 */
@FunctionalInterface
public interface PullProgress {

    /** Reports nothing. */
    PullProgress NONE = (done, total, message) -> {
    };

    /**
     * @param bytesDone  bytes of this image received so far in this pull (resumed parts included once fetched)
     * @param bytesTotal bytes this pull has to fetch (the blobs missing from the store); 0 when everything is stored
     * @param message    what is being fetched, e.g. {@code registry.lan/app:1 layer 2/3}
     */
    void progress(long bytesDone, long bytesTotal, String message);

    /**
     * Wraps {@code target} so that it is called at most once per {@code interval} (the first report is let through
     * at once) and only when the byte count moved, plus always for the final report ({@code bytesDone ==
     * bytesTotal}). Not thread-safe: one pull reports from one thread.
     */
    static PullProgress throttled(PullProgress target, Clock clock, Duration interval) {
        if (target == NONE) {
            return NONE;
        }
        return new PullProgress() {
            private long lastAt = Long.MIN_VALUE;
            private long lastDone = -1;

            @Override
            public void progress(long done, long total, String message) {
                long now = clock.millis();
                boolean last = done >= total;
                if (done == lastDone || !last && lastAt != Long.MIN_VALUE && now - lastAt < interval.toMillis()) {
                    return;
                }
                lastAt = now;
                lastDone = done;
                target.progress(done, total, message);
            }
        };
    }
}
