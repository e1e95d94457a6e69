package dev.fleetlet.protocol.message;

import java.time.Instant;
import java.util.List;

/**
 * A chunk of log lines on {@code logs}, streamed in answer to a {@code logs} command.
 *
 * @param v         protocol version, always 1
 * @param deviceId  the publishing device
 * @param requestId the {@code logs} command id
 * @param chunk     chunk number from 0
 * @param last      true on the final chunk
 * @param lines     the lines
 */
public record LogChunk(int v, String deviceId, String requestId, int chunk, boolean last, List<Line> lines) {

    public LogChunk {
        lines = lines == null ? List.of() : List.copyOf(lines);
    }

    /** One log line. */
    public record Line(Instant ts, String source, String level, String text) {
    }
}
