package dev.fleetlet.agent.telemetry;

import dev.fleetlet.agent.clock.ClockStatus;
import dev.fleetlet.agent.queue.StoreAndForwardQueue;
import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.protocol.message.Reading;
import dev.fleetlet.protocol.message.TelemetryBatch;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects readings into batches and writes every batch to the store-and-forward queue, never directly
 * to MQTT. A batch closes at {@code batchSize} readings or when {@link #flush} is called (the agent calls
 * it every {@code batchInterval}); the first batch after start closes as soon as it holds a reading, so the
 * server sees a started device's data without waiting one interval. The queue assigns {@code seq}; the batch carries the queue's stream id,
 * the loss count ({@code dropped}) and {@code clockSynced} from {@link ClockStatus}. A batch whose JSON
 * would exceed the 64 KiB telemetry limit is split in halves.
 */
public final class TelemetryBatcher {

    private static final Logger log = LoggerFactory.getLogger(TelemetryBatcher.class);

    private final String deviceId;
    private final StoreAndForwardQueue queue;
    private final ProtocolCodec codec;
    private final ClockStatus clockStatus;
    private final Clock clock;
    private final int batchSize;
    private final List<Reading> pending = new ArrayList<>();
    private final Runnable onAppended;
    private boolean firstBatchQueued;

    /**
     * @param onAppended called after each batch reached the queue (wakes the publisher)
     */
    public TelemetryBatcher(String deviceId, StoreAndForwardQueue queue, ProtocolCodec codec, ClockStatus clockStatus,
                            Clock clock, int batchSize, Runnable onAppended) {
        this.deviceId = deviceId;
        this.queue = queue;
        this.codec = codec;
        this.clockStatus = clockStatus;
        this.clock = clock;
        this.batchSize = Math.min(batchSize, TelemetryBatch.MAX_READINGS);
        this.onAppended = onAppended;
    }

    /** Adds readings; appends full batches to the queue. */
    public synchronized void add(List<Reading> readings) {
        for (Reading r : readings) {
            pending.add(r);
            if (pending.size() >= batchSize) {
                flush();
            }
        }
        if (!firstBatchQueued) {
            flush();
        }
    }

    /** Appends the readings collected so far as one batch (nothing when there are none). */
    public synchronized void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<Reading> batch = List.copyOf(pending);
        pending.clear();
        append(batch);
    }

    private void append(List<Reading> readings) {
        boolean synced = clockStatus.synced();
        try {
            long seq = queue.append((s, dropped) -> codec.encode(MessageType.TELEMETRY, new TelemetryBatch(1, deviceId,
                    queue.streamId(), s, clock.instant(), synced, dropped, readings)));
            log.debug("telemetry batch queued seq={} readings={}", seq, readings.size());
            firstBatchQueued = true;
            onAppended.run();
        } catch (IllegalArgumentException e) {
            if (readings.size() > 1 && e.getMessage() != null && e.getMessage().contains("TOO_LARGE")) {
                append(readings.subList(0, readings.size() / 2));
                append(readings.subList(readings.size() / 2, readings.size()));
            } else {
                log.error("telemetry batch dropped, cannot encode readings={} error={}", readings.size(), e.getMessage());
            }
        } catch (RuntimeException e) {
            log.error("telemetry batch lost, queue append failed readings={} error={}", readings.size(), e.toString());
        }
    }
}
