package dev.fleetlet.server.logs;

import dev.fleetlet.protocol.message.LogChunk;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * What the server holds of one logs-on-demand request, as the API answers it.
 *
 * @param requestId      the {@code logs} command id, also the chunks' {@code requestId}
 * @param deviceId       the device asked
 * @param source         {@code agent}, {@code system} or a service name of the running release
 * @param lines          the number of most recent lines asked for
 * @param state          where the request is
 * @param complete       true once every chunk up to the one flagged {@code last} has arrived
 * @param expectedChunks the chunk count the device announced in its {@code ok} answer, null before it
 * @param chunks         the chunks received so far, in chunk order (gaps possible until complete)
 * @param truncated      true when lines were dropped because the request exceeded its memory bound
 * @param error          why the request failed or expired, null otherwise
 * @param requestedAt    when the server sent the command
 * @param updatedAt      when the request last changed
 */
@Serdeable
public record LogRequest(String requestId, String deviceId, String source, int lines, State state, boolean complete,
                         Integer expectedChunks, List<Chunk> chunks, boolean truncated, Failure error,
                         Instant requestedAt, Instant updatedAt) {

    /** Where a request is. */
    public enum State {
        /** Command sent, the device has not answered yet. */
        PENDING,
        /** The device accepted; chunks are arriving. */
        STREAMING,
        /** Every chunk arrived. */
        COMPLETE,
        /** The device rejected or failed the command, or did not answer in time. */
        FAILED,
        /** The device accepted but the last chunk did not arrive within the command timeout plus 60 s. */
        EXPIRED
    }

    /** One received chunk. */
    @Serdeable
    public record Chunk(int chunk, boolean last, List<Line> lines) {
    }

    /** One log line as the device sent it ({@code level} may be null). */
    @Serdeable
    public record Line(Instant ts, String source, String level, String text) {

        static Line of(LogChunk.Line l) {
            return new Line(l.ts(), l.source(), l.level(), l.text());
        }
    }

    /** A machine-readable code and a message (the device's, or the server's for timeouts). */
    @Serdeable
    public record Failure(String code, String message) {
    }
}
