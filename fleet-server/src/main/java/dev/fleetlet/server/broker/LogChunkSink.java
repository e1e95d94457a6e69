package dev.fleetlet.server.broker;

import dev.fleetlet.protocol.message.LogChunk;
import java.time.Instant;

/**
 * Where the broker hands every valid log chunk ({@code logs} topic) whose {@code deviceId} matches the
 * publishing client. Implemented by the logs-on-demand feature, which keeps the chunks of requests it started.
 *
 * <p>Runs on broker threads: it must not block and never throws. The publish is acknowledged whatever the sink
 * does with it (a chunk for a request nobody waits for is dropped there).
 */
public interface LogChunkSink {

    /** A sink that ignores every chunk, for a server without the logs feature. */
    LogChunkSink NONE = (chunk, receivedAt) -> { };

    /** A chunk from the device named in it; {@code receivedAt} is server time. */
    void chunk(LogChunk chunk, Instant receivedAt);
}
