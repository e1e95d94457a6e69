package dev.fleetlet.agent.command;

import dev.fleetlet.agent.logging.LogRing;
import dev.fleetlet.agent.mqtt.MessagePublisher;
import dev.fleetlet.agent.mqtt.OutgoingMessage;
import dev.fleetlet.protocol.Topics;
import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.protocol.message.CommandRequest;
import dev.fleetlet.protocol.message.LogChunk;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * {@code logs}: recent agent log lines from the {@link LogRing}, streamed as {@link LogChunk}s on
 * {@code logs} after the {@code ok} response {@code {"chunks": N}} (docs/protocol.md, Logs on demand).
 * Args: {@code source} ({@code agent}; {@code system} answers {@code error}/{@code not-available} in this
 * build; anything else {@code rejected}/{@code bad-args}), {@code lines} (1 to 10,000, default 200),
 * {@code since} (date-time, optional). Chunks hold at most 1,000 lines and stay under the 64 KiB limit
 * (a chunk that would not is split); no matching line → one empty chunk with {@code last: true}.
 */
public final class LogsHandler implements CommandHandler {

    static final int MAX_LINES_PER_CHUNK = 1000;
    private static final int BYTE_BUDGET = 56 * 1024;

    private final String deviceId;
    private final LogRing ring;
    private final MessagePublisher publisher;
    private final ProtocolCodec codec;

    public LogsHandler(String deviceId, LogRing ring, MessagePublisher publisher, ProtocolCodec codec) {
        this.deviceId = deviceId;
        this.ring = ring;
        this.publisher = publisher;
        this.codec = codec;
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
        if (!source.equals("agent")) {
            return CommandOutcome.rejected("bad-args", "source: unknown source '" + source
                    + "', expected 'agent' (no release services run in this build)");
        }
        List<LogChunk.Line> selected = new ArrayList<>();
        for (LogRing.Line l : ring.recent(lines, since)) {
            selected.add(new LogChunk.Line(l.ts(), "agent", l.level(), l.text()));
        }
        List<byte[]> chunks = encode(request.id(), selected);
        String topic = Topics.logs(deviceId);
        return CommandOutcome.okThen(codec.mapper().createObjectNode().put("chunks", chunks.size()), () -> {
            for (byte[] chunk : chunks) {
                publisher.publish(OutgoingMessage.qos1(topic, chunk, false));
            }
        });
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
