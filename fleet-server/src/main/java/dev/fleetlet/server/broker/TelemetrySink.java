package dev.fleetlet.server.broker;

import dev.fleetlet.protocol.message.TelemetryBatch;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Where the broker hands every valid telemetry batch, in-process, before it acknowledges the publish.
 * Implemented by the telemetry ingest pipeline. The broker holds the device's PUBACK until the
 * returned future completes, so a {@link Outcome.Status#STORED} or {@link Outcome.Status#DUPLICATE}
 * answer must mean "durably stored".
 */
public interface TelemetrySink {

    /**
     * Takes one decoded, validated batch whose {@code deviceId} matches the publishing client.
     *
     * <p>Must not block: the call runs on a broker thread. Never throws; problems are reported through
     * the future's outcome (a future that fails exceptionally is treated like {@link Outcome.Status#FAILED}).
     *
     * @param receivedAt server time the broker received the publish
     */
    CompletableFuture<Outcome> ingest(TelemetryBatch batch, Instant receivedAt);

    /**
     * What became of a batch.
     *
     * @param status what happened
     * @param detail a short human-readable explanation for a refusal, empty otherwise
     */
    record Outcome(Status status, String detail) {
        public Outcome {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(detail, "detail");
        }

        /** The possible outcomes. */
        public enum Status {
            /** Committed to the database. */
            STORED,
            /** Already stored earlier (same device, stream and sequence number): acknowledged, not stored again. */
            DUPLICATE,
            /** Refused without trying: the ingest queue is full. The device should retry later. */
            QUEUE_FULL,
            /** The database write failed or the pipeline is shutting down. The device should retry. */
            FAILED
        }

        public static final Outcome STORED = new Outcome(Status.STORED, "");
        public static final Outcome DUPLICATE = new Outcome(Status.DUPLICATE, "");

        /** Whether the device may forget the batch. */
        public boolean accepted() {
            return status == Status.STORED || status == Status.DUPLICATE;
        }
    }
}
