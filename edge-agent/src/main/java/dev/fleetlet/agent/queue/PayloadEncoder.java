package dev.fleetlet.agent.queue;

/**
 * Produces the payload of a record once the queue has chosen its sequence number, so that the number
 * can be part of the payload (a telemetry batch carries {@code seq} and {@code dropped}). May be called
 * more than once for one append (when making room dropped more records); must be side-effect free.
 */
@FunctionalInterface
public interface PayloadEncoder {

    /**
     * @param seq     the sequence number this record will get
     * @param dropped records lost (dropped for space or found corrupt) since the last record that reported a loss
     */
    byte[] encode(long seq, long dropped);
}
