package dev.fleetlet.agent.logging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;

/**
 * An output stream that passes every byte on to another stream and feeds each completed line into a
 * {@link LogRing}, with the level read from slf4j-simple's format ({@code [thread] LEVEL logger - text});
 * a line without a level (a stack trace line) inherits the previous line's level.
 */
public final class LogCapture extends OutputStream {

    private static final int MAX_PENDING = LogRing.MAX_LINE_CHARS * 4;

    private final OutputStream target;
    private final LogRing ring;
    private final Clock clock;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(256);
    private String lastLevel = "info";

    public LogCapture(OutputStream target, LogRing ring, Clock clock) {
        this.target = target;
        this.ring = ring;
        this.clock = clock;
    }

    /**
     * Replaces {@code System.err} with a capturing tee around the current one. Call before the first log
     * line. slf4j-simple looks {@code System.err} up at every write, so lines logged later are captured.
     */
    public static LogRing install(Clock clock) {
        LogRing ring = new LogRing(10_000, 2L * 1024 * 1024);
        System.setErr(new PrintStream(new LogCapture(System.err, ring, clock), true, StandardCharsets.UTF_8));
        return ring;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        target.write(b);
        accept((byte) b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        target.write(b, off, len);
        for (int i = off; i < off + len; i++) {
            accept(b[i]);
        }
    }

    @Override
    public void flush() throws IOException {
        target.flush();
    }

    private void accept(byte b) {
        if (b == '\n') {
            String line = pending.toString(StandardCharsets.UTF_8);
            pending.reset();
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            String level = levelOf(line);
            if (level != null) {
                lastLevel = level;
            }
            ring.add(clock.instant(), level == null ? lastLevel : level, line);
        } else if (pending.size() < MAX_PENDING) {
            pending.write(b);
        }
    }

    /** The level of an slf4j-simple line, or null when the line has none. */
    static String levelOf(String line) {
        int from = 0;
        if (line.startsWith("[")) {
            int close = line.indexOf("] ");
            if (close < 0) {
                return null;
            }
            from = close + 2;
        }
        int end = line.indexOf(' ', from);
        if (end < 0) {
            return null;
        }
        String word = line.substring(from, end);
        switch (word) {
            case "TRACE", "DEBUG", "INFO", "WARN", "ERROR":
                return word.toLowerCase(Locale.ROOT);
            default:
                return null;
        }
    }
}
