package dev.fleetlet.agent.logging;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The most recent log lines, bounded by line count and by total characters (whichever is hit first
 * evicts the oldest lines), so a burst of long lines cannot grow the heap. Lines are cut at
 * {@value #MAX_LINE_CHARS} characters, the protocol's limit. Thread-safe.
 */
public final class LogRing {

    /** Longest line kept, in characters (docs/protocol.md, logs). */
    public static final int MAX_LINE_CHARS = 8192;

    /**
     * One captured line.
     *
     * @param ts    when it was captured (device clock)
     * @param level {@code trace}, {@code debug}, {@code info}, {@code warn} or {@code error}
     * @param text  the line without its line break
     */
    public record Line(Instant ts, String level, String text) {
    }

    private final int maxLines;
    private final long maxChars;
    private final ArrayDeque<Line> lines = new ArrayDeque<>();
    private long chars;

    public LogRing(int maxLines, long maxChars) {
        if (maxLines < 1 || maxChars < MAX_LINE_CHARS) {
            throw new IllegalArgumentException("maxLines >= 1 and maxChars >= " + MAX_LINE_CHARS + " expected");
        }
        this.maxLines = maxLines;
        this.maxChars = maxChars;
    }

    public synchronized void add(Instant ts, String level, String text) {
        String t = text.length() > MAX_LINE_CHARS ? text.substring(0, MAX_LINE_CHARS) : text;
        lines.addLast(new Line(ts, level, t));
        chars += t.length();
        while (lines.size() > maxLines || chars > maxChars) {
            chars -= lines.removeFirst().text().length();
        }
    }

    /**
     * The most recent lines, oldest first.
     *
     * @param max   at most this many
     * @param since only lines captured at or after this instant, or null for all
     */
    public synchronized List<Line> recent(int max, Instant since) {
        List<Line> out = new ArrayList<>();
        Iterator<Line> it = lines.descendingIterator();
        while (it.hasNext() && out.size() < max) {
            Line l = it.next();
            if (since != null && l.ts().isBefore(since)) {
                break;
            }
            out.add(l);
        }
        java.util.Collections.reverse(out);
        return out;
    }

    public synchronized int size() {
        return lines.size();
    }
}
