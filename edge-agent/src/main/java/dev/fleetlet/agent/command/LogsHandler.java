package dev.fleetlet.agent.command;

import dev.fleetlet.agent.logging.LogRing;
import dev.fleetlet.agent.mqtt.MessagePublisher;
import dev.fleetlet.agent.mqtt.OutgoingMessage;
import dev.fleetlet.protocol.Topics;
import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.protocol.message.CommandRequest;
import dev.fleetlet.protocol.message.LogChunk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * {@code logs}: recent log lines streamed as {@link LogChunk}s on {@code logs} after the {@code ok} response
 * {@code {"chunks": N}} (docs/protocol.md, Logs on demand). Args: {@code source} ({@code agent}, the default: the
 * agent's own lines from the {@link LogRing}; a service name of the running release: the tail of that service's
 * container log files through {@link ServiceLogs}; {@code system} answers {@code error}/{@code not-available} in
 * this build; anything else {@code rejected}/{@code bad-args} naming the known sources), {@code lines} (1 to
 * 10,000, default 200), {@code since} (date-time, optional). Chunks hold at most 1,000 lines and stay under the
 * 64 KiB limit (a chunk that would not is split); no matching line → one empty chunk with {@code last: true}.
 *
 * <p>Container output carries no time per line: a service line's {@code ts} is the last-modified time of the log
 * file segment it came from, its {@code level} {@code info} for stdout and {@code error} for stderr; segments are
 * merged oldest first by that time, and {@code since} skips segments last written before it. Lines longer than
 * 8,192 characters are truncated.
 */
public final class LogsHandler implements CommandHandler {

    static final int MAX_LINES_PER_CHUNK = 1000;
    static final int MAX_LINE = 8192;
    private static final int BYTE_BUDGET = 56 * 1024;

    private final String deviceId;
    private final LogRing ring;
    private final MessagePublisher publisher;
    private final ProtocolCodec codec;
    private final ServiceLogs services;

    /** Agent lines only (no release services). */
    public LogsHandler(String deviceId, LogRing ring, MessagePublisher publisher, ProtocolCodec codec) {
        this(deviceId, ring, publisher, codec, ServiceLogs.NONE);
    }

    public LogsHandler(String deviceId, LogRing ring, MessagePublisher publisher, ProtocolCodec codec,
                       ServiceLogs services) {
        this.deviceId = deviceId;
        this.ring = ring;
        this.publisher = publisher;
        this.codec = codec;
        this.services = services;
    }

    @Override
    public CommandOutcome handle(CommandRequest request) {
        String source;
        int lines;
        Instant since;
        try {
            Args args = new Args(request.args());
            source = args.string("source", "agent");
            lines = args.integer("lines", 200, 1, 10_000);
            since = args.instant("since");
        } catch (Args.BadArgs e) {
            return e.outcome();
        }
        if (source.equals("system")) {
            return CommandOutcome.error("not-available", "source 'system' (the system journal) is not available "
                    + "in this agent build; use source 'agent'");
        }
        List<LogChunk.Line> selected = new ArrayList<>();
        if (source.equals("agent")) {
            for (LogRing.Line l : ring.recent(lines, since)) {
                selected.add(new LogChunk.Line(l.ts(), "agent", l.level(), l.text()));
            }
        } else {
            Optional<Path> dir = services.logDir(source);
            if (dir.isEmpty()) {
                List<String> known = services.services();
                return CommandOutcome.rejected("bad-args", "source: unknown source '" + source + "', expected 'agent'"
                        + (known.isEmpty() ? " (no release runs)" : " or a service of the running release: "
                        + String.join(", ", known)));
            }
            try {
                selected = tail(source, dir.get(), lines, since);
            } catch (IOException | UncheckedIOException e) {
                return CommandOutcome.error("read-failed", "cannot read the logs of service " + source + ": "
                        + e.getMessage());
            }
        }
        List<byte[]> chunks = encode(request.id(), selected);
        String topic = Topics.logs(deviceId);
        return CommandOutcome.okThen(codec.mapper().createObjectNode().put("chunks", chunks.size()), () -> {
            for (byte[] chunk : chunks) {
                publisher.publish(OutgoingMessage.qos1(topic, chunk, false));
            }
        });
    }

    /** The last {@code lines} lines of the service's stdout and stderr segments, oldest segment first. */
    static List<LogChunk.Line> tail(String service, Path dir, int lines, Instant since) throws IOException {
        record Segment(Path file, String level, Instant modified) {
        }
        List<Segment> segments = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    String name = f.getFileName().toString();
                    String level = name.startsWith("stdout.log") ? "info" : name.startsWith("stderr.log") ? "error" : null;
                    if (level != null && Files.isRegularFile(f)) {
                        Instant modified = Files.getLastModifiedTime(f).toInstant();
                        if (since == null || !modified.isBefore(since)) {
                            segments.add(new Segment(f, level, modified));
                        }
                    }
                }
            }
        }
        // newest segment first, so reading can stop once enough lines are collected
        segments.sort(Comparator.comparing(Segment::modified).reversed().thenComparing(s -> s.file().getFileName().toString()));
        Deque<LogChunk.Line> out = new ArrayDeque<>();
        for (Segment s : segments) {
            if (out.size() >= lines) {
                break;
            }
            String[] text = new String(Files.readAllBytes(s.file()), StandardCharsets.UTF_8).split("\\R");
            int end = text.length;
            while (end > 0 && text[end - 1].isEmpty()) {
                end--; // the trailing newline
            }
            for (int i = end - 1; i >= 0 && out.size() < lines; i--) {
                String t = text[i].length() > MAX_LINE ? text[i].substring(0, MAX_LINE) : text[i];
                out.addFirst(new LogChunk.Line(s.modified(), service, s.level(), t));
            }
        }
        return new ArrayList<>(out);
    }

    /** Splits into chunks that each encode within the protocol limits, numbered from 0, the last flagged. */
    List<byte[]> encode(String requestId, List<LogChunk.Line> lines) {
        List<List<LogChunk.Line>> groups = new ArrayList<>();
        List<LogChunk.Line> current = new ArrayList<>();
        long bytes = 0;
        for (LogChunk.Line l : lines) {
            long size = l.text().getBytes(StandardCharsets.UTF_8).length + 96L;
            if (!current.isEmpty() && (current.size() == MAX_LINES_PER_CHUNK || bytes + size > BYTE_BUDGET)) {
                groups.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(l);
            bytes += size;
        }
        groups.add(current);
        // a group of lines full of characters that JSON escapes can still be too large: split it until it fits
        List<List<LogChunk.Line>> fitting = new ArrayList<>();
        Deque<List<LogChunk.Line>> todo = new ArrayDeque<>(groups);
        while (!todo.isEmpty()) {
            List<LogChunk.Line> g = todo.pollFirst();
            if (g.size() > 1 && !fits(requestId, g)) {
                todo.addFirst(g.subList(g.size() / 2, g.size()));
                todo.addFirst(g.subList(0, g.size() / 2));
            } else {
                fitting.add(g);
            }
        }
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < fitting.size(); i++) {
            out.add(codec.encode(MessageType.LOG_CHUNK, new LogChunk(1, deviceId, requestId, i,
                    i == fitting.size() - 1, fitting.get(i))));
        }
        return out;
    }

    private boolean fits(String requestId, List<LogChunk.Line> lines) {
        try {
            codec.encode(MessageType.LOG_CHUNK, new LogChunk(1, deviceId, requestId, 0, false, lines));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
