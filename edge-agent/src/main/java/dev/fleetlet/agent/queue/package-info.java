/**
 * Store-and-forward: every encoded telemetry batch is appended to a bounded on-disk queue before it is
 * published, and leaves it only when the broker acknowledged it.
 *
 * <p>Flow: {@code TelemetryBatcher} → {@link dev.fleetlet.agent.queue.StoreAndForwardQueue#append} (sequence
 * number assigned, record written with length + CRC32C, fsync per policy) → {@code TelemetryPublisher} reads
 * {@link dev.fleetlet.agent.queue.StoreAndForwardQueue#next} in order → PUBACK →
 * {@link dev.fleetlet.agent.queue.StoreAndForwardQueue#ack} (cursor persisted atomically per policy, fully
 * delivered segments deleted). When the size bound is hit the oldest segments go first and the loss is
 * reported in the next batch's {@code dropped}. Torn tails and damaged records are detected by CRC,
 * skipped and counted. The durability/SD-wear trade-off is documented on
 * {@link dev.fleetlet.agent.queue.QueueSettings}.
 */
package dev.fleetlet.agent.queue;
