package dev.fleetlet.protocol.message;

import java.time.Instant;
import java.util.List;

/**
 * A batch of readings published on {@code telemetry} with QoS 1.
 *
 * <p>De-duplication: {@code (deviceId, stream, seq)} identifies a batch. {@code seq} starts at 1 and
 * grows by one per batch within a {@code stream}; a stream id is chosen by the agent when its
 * telemetry queue is created and kept across reboots, so a re-flashed board starts a new stream
 * instead of colliding with old sequence numbers. A receiver stores a batch at most once, keyed by the
 * exact triple: a batch with a lower {@code seq} than the highest seen can legitimately arrive later
 * (an unacknowledged batch re-sent after a reconnect), so "at or below the highest" is not a safe
 * duplicate test.
 *
 * @param v           protocol version, always 1
 * @param deviceId    the publishing device
 * @param stream      the agent's telemetry stream id
 * @param seq         sequence number within the stream, from 1
 * @param sentAt      when the batch was formed (device clock)
 * @param clockSynced false while the device clock has not been synchronised: timestamps may be wrong
 * @param dropped     batches the agent had to drop (queue full) since the previous batch it sent
 * @param readings    1 to 500 readings
 */
public record TelemetryBatch(int v, String deviceId, String stream, long seq, Instant sentAt, boolean clockSynced,
                             long dropped, List<Reading> readings) {

    /** The largest number of readings in one batch. */
    public static final int MAX_READINGS = 500;

    public TelemetryBatch {
        readings = readings == null ? List.of() : List.copyOf(readings);
    }
}
