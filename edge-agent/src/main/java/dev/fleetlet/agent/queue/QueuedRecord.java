package dev.fleetlet.agent.queue;

/**
 * One record read back from the queue.
 *
 * @param seq     its sequence number, strictly increasing in append order, from 1
 * @param payload the bytes appended (not copied: do not modify)
 */
public record QueuedRecord(long seq, byte[] payload) {
}
