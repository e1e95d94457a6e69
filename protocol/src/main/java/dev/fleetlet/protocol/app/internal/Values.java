package dev.fleetlet.protocol.app.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Compose scalar syntaxes: byte sizes, durations, shell-like word splitting, capability names. */
public final class Values {

    private static final Pattern BYTES = Pattern.compile("(\\d{1,19})([bkmg]?)b?", Pattern.CASE_INSENSITIVE);
    private static final Pattern DURATION_PART = Pattern.compile("(\\d{1,9})(us|ms|h|m|s)");

    /** Linux capability names without the CAP_ prefix (capabilities(7)). */
    public static final Set<String> CAPABILITIES = Set.of(
            "AUDIT_CONTROL", "AUDIT_READ", "AUDIT_WRITE", "BLOCK_SUSPEND", "BPF", "CHECKPOINT_RESTORE", "CHOWN",
            "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "IPC_LOCK", "IPC_OWNER", "KILL", "LEASE",
            "LINUX_IMMUTABLE", "MAC_ADMIN", "MAC_OVERRIDE", "MKNOD", "NET_ADMIN", "NET_BIND_SERVICE",
            "NET_BROADCAST", "NET_RAW", "PERFMON", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYSLOG",
            "SYS_ADMIN", "SYS_BOOT", "SYS_CHROOT", "SYS_MODULE", "SYS_NICE", "SYS_PACCT", "SYS_PTRACE",
            "SYS_RAWIO", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "WAKE_ALARM");

    private Values() {
    }

    /** {@code 64m}, {@code 1g}, {@code 512k}, {@code 1024}, {@code 64mb}; null when not a byte size or overflowing. */
    public static Long parseBytes(String text) {
        Matcher m = BYTES.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        long base;
        try {
            base = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return null;
        }
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        if (base > (Long.MAX_VALUE >> shift)) {
            return null;
        }
        return base << shift;
    }

    /** The shortest exact spelling of a byte count: {@code 64m}, {@code 1g}, or plain bytes. */
    public static String formatBytes(long bytes) {
        if (bytes > 0 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + "g";
        }
        if (bytes > 0 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + "m";
        }
        if (bytes > 0 && bytes % (1L << 10) == 0) {
            return (bytes >> 10) + "k";
        }
        return Long.toString(bytes);
    }

    /** {@code 1m30s}, {@code 10s}, {@code 500ms}, {@code 1h}; null when not a duration. */
    public static Duration parseDuration(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            return null;
        }
        Matcher m = DURATION_PART.matcher(s);
        Duration total = Duration.ZERO;
        int at = 0;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at) {
                return null;
            }
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                case "s" -> Duration.ofSeconds(n);
                case "ms" -> Duration.ofMillis(n);
                default -> Duration.ofNanos(n * 1000);
            });
            at = m.end();
        }
        return total;
    }

    /** An exact spelling that {@link #parseDuration} reads back: {@code 1m30s}, {@code 500ms}, {@code 0s}. */
    public static String formatDuration(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder b = new StringBuilder();
        long h = d.toHours();
        int m = d.toMinutesPart();
        int s = d.toSecondsPart();
        int ms = d.toMillisPart();
        long us = (d.toNanosPart() % 1_000_000) / 1000;
        if (h > 0) {
            b.append(h).append('h');
        }
        if (m > 0) {
            b.append(m).append('m');
        }
        if (s > 0) {
            b.append(s).append('s');
        }
        if (ms > 0) {
            b.append(ms).append("ms");
        }
        if (us > 0) {
            b.append(us).append("us");
        }
        return b.toString();
    }

    /**
     * Splits a command line into words like a POSIX shell would without expansion: whitespace
     * separates, single quotes are literal, double quotes allow {@code \"} and {@code \\}, a backslash
     * outside quotes escapes the next character.
     *
     * @throws IllegalArgumentException on an unterminated quote or trailing backslash
     */
    public static List<String> splitShellWords(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated single quote");
                }
                cur.append(line, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i++;
                boolean closed = false;
                while (i < line.length()) {
                    char d = line.charAt(i);
                    if (d == '"') {
                        closed = true;
                        i++;
                        break;
                    }
                    if (d == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
                        cur.append(line.charAt(i + 1));
                        i += 2;
                    } else {
                        cur.append(d);
                        i++;
                    }
                }
                if (!closed) {
                    throw new IllegalArgumentException("unterminated double quote");
                }
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 >= line.length()) {
                    throw new IllegalArgumentException("trailing backslash");
                }
                cur.append(line.charAt(i + 1));
                inWord = true;
                i += 2;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
                i++;
            } else {
                cur.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(cur.toString());
        }
        return words;
    }
}
