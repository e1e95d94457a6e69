package dev.fleetlet.server.telemetry.internal;

import dev.fleetlet.protocol.message.TelemetryBatch;
import dev.fleetlet.server.broker.TelemetrySink;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * A batch admitted by de-duplication and waiting for the writer.
 *
 * @param batch         the decoded batch
 * @param receivedAt    server time the broker received it
 * @param enqueuedNanos {@link System#nanoTime()} when it was queued
 * @param done          completed by the writer with STORED after the commit, or FAILED
 */
public record PendingBatch(TelemetryBatch batch, Instant receivedAt, long enqueuedNanos,
                           CompletableFuture<TelemetrySink.Outcome> done) {
}
