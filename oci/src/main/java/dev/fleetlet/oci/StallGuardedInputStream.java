package dev.fleetlet.oci;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Aborts a blob body that stops delivering bytes: when no byte arrives for {@code stallTimeout}
 * the underlying stream is closed and the blocked read fails with an IOException, so the blob store
 * resumes from its partial file instead of hanging on a dead link (a Wi-Fi drop without a TCP reset).
 */
final class StallGuardedInputStream extends FilterInputStream {
    private final long stallNanos;
    private final ScheduledFuture<?> watchdog;
    private volatile long lastProgress = System.nanoTime();
    private volatile boolean stalled;

    StallGuardedInputStream(InputStream in, Duration stallTimeout, ScheduledExecutorService timer) {
        super(in);
        this.stallNanos = stallTimeout.toNanos();
        long period = Math.max(10, stallTimeout.toMillis() / 4);
        this.watchdog = timer.scheduleAtFixedRate(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    private void check() {
        if (!stalled && System.nanoTime() - lastProgress > stallNanos) {
            stalled = true;
            try {
                in.close();
            } catch (IOException ignored) {
                // the reader sees the failure
            }
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException e) {
            throw stalled ? stalledError(e) : e;
        }
        if (stalled) {
            throw stalledError(null);
        }
        lastProgress = System.nanoTime();
        return n;
    }

    private IOException stalledError(IOException cause) {
        return new IOException("no data received for " + stallNanos / 1_000_000 + " ms; connection treated as dead", cause);
    }

    @Override
    public void close() throws IOException {
        watchdog.cancel(false);
        super.close();
    }
}
