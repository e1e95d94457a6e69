package dev.fleetlet.agent.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies one stdio FIFO of a container into a {@link RotatingLogFile} on its own small thread, blocked in
 * {@code read} between chunks. The FIFO is opened read-only, so the pump sees end-of-file exactly when
 * every writer is gone (the container, runc and the shim that holds the FIFO open): everything written
 * has then been copied. {@link #detach} stops it without waiting for that (agent shutdown); unread
 * output stays in the pipe for the next pump.
 */
final class LogPump {
    private static final Logger log = LoggerFactory.getLogger(LogPump.class);
    private static final long STACK_BYTES = 128 * 1024;

    private final String name;
    private final Path fifo;
    private final RotatingLogFile sink;
    private final Thread thread;
    private volatile boolean detaching;
    private volatile boolean opened;
    private final java.util.concurrent.CountDownLatch openLatch = new java.util.concurrent.CountDownLatch(1);

    private LogPump(String name, Path fifo, RotatingLogFile sink) {
        this.name = name;
        this.fifo = fifo;
        this.sink = sink;
        this.thread = new Thread(null, this::pump, "logs-" + name, STACK_BYTES);
        thread.setDaemon(true);
    }

    static LogPump start(String name, Path fifo, RotatingLogFile sink) {
        LogPump p = new LogPump(name, fifo, sink);
        p.thread.start();
        return p;
    }

    private void pump() {
        try (sink; FileChannel in = FileChannel.open(fifo, StandardOpenOption.READ)) {
            opened = true;
            openLatch.countDown();
            if (detaching) {
                return;
            }
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (in.read(buf) >= 0) {
                sink.write(buf.array(), 0, buf.position());
                buf.clear();
            }
        } catch (AsynchronousCloseException e) {
            log.debug("container log pump detached stream={}", name);
        } catch (IOException e) {
            log.warn("container log pump stopped stream={} error={}", name, e.getMessage());
        }
    }

    /**
     * Waits up to {@code timeout} for end-of-file; returns whether it came. A pump still blocked opening a FIFO
     * nobody holds any more (its shim died) is released and ends at once.
     */
    boolean awaitEof(Duration timeout) {
        if (!opened) {
            releaseOpen();
        }
        join(timeout);
        return !thread.isAlive();
    }

    /**
     * Waits up to {@code timeout} until the pump holds the FIFO open. Whoever ends the last other holder (the
     * shim) must wait for this first: a FIFO nobody holds discards what it buffered.
     */
    boolean awaitOpen(Duration timeout) {
        try {
            return openLatch.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops copying now, leaving unread output in the pipe. */
    void detach() {
        detaching = true;
        if (!opened) {
            releaseOpen();
        }
        thread.interrupt();
        join(Duration.ofSeconds(2));
    }

    boolean isRunning() {
        return thread.isAlive();
    }

    /** A read-only open of a FIFO blocks until a writer exists: be that writer for a moment. */
    private void releaseOpen() {
        try (FileChannel ignored = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            log.debug("released pump blocked in open stream={}", name);
        } catch (IOException e) {
            log.debug("cannot release pump stream={} error={}", name, e.getMessage());
        }
    }

    private void join(Duration timeout) {
        try {
            thread.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
