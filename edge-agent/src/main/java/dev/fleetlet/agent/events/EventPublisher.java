package dev.fleetlet.agent.events;

import dev.fleetlet.agent.mqtt.MessagePublisher;
import dev.fleetlet.agent.mqtt.OutgoingMessage;
import dev.fleetlet.protocol.Topics;
import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.protocol.message.DeviceEvent;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises device events: numbers, encodes and publishes them (QoS 1, not retained). An event that cannot
 * be sent now (session down, publish failed) waits in a buffer of at most {@value #MAX_PENDING} events
 * (the oldest is dropped and counted when it is full) and is re-sent by {@link #flush()}, which the
 * wiring calls after every connect. An event the broker refuses while the session is up (PUBACK 0x99)
 * is logged and dropped, never re-sent (docs/protocol.md, Rejected payloads). A re-sent event is byte-identical, as receivers expect.
 * Messages longer than the protocol's 1,024 characters are shortened.
 */
public final class EventPublisher {

    static final int MAX_PENDING = 64;
    private static final int MAX_MESSAGE = 1024;
    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);

    private final String deviceId;
    private final MessagePublisher publisher;
    private final ProtocolCodec codec;
    private final EventSequence sequence;
    private final Clock clock;
    private final Deque<byte[]> pending = new ArrayDeque<>();
    private long droppedWhileOffline;

    public EventPublisher(String deviceId, MessagePublisher publisher, ProtocolCodec codec, EventSequence sequence,
                          Clock clock) {
        this.deviceId = deviceId;
        this.publisher = publisher;
        this.codec = codec;
        this.sequence = sequence;
        this.clock = clock;
    }

    /**
     * Raises an event. Never throws.
     *
     * @param generation the desired-state generation concerned, or null
     * @param releaseId  the release concerned, or null
     * @param message    human-readable detail, or null
     */
    public void raise(DeviceEvent.Type type, Long generation, String releaseId, String message) {
        raise(type, generation, releaseId, null, message);
    }

    /** As {@link #raise(DeviceEvent.Type, Long, String, String)}, with download progress (required for
     * {@code update.downloading}). */
    public void raise(DeviceEvent.Type type, Long generation, String releaseId, DeviceEvent.Progress progress,
                      String message) {
        try {
            DeviceEvent event = new DeviceEvent(1, deviceId, sequence.next(), clock.instant(), type, generation,
                    releaseId, progress, shorten(message));
            byte[] payload = codec.encode(MessageType.EVENT, event);
            log.info("event type={} seq={} generation={} releaseId={} message={}", type.wire(), event.seq(),
                    generation, releaseId, event.message());
            synchronized (pending) {
                pending.addLast(payload);
                while (pending.size() > MAX_PENDING) {
                    pending.removeFirst();
                    droppedWhileOffline++;
                }
            }
            flush();
        } catch (RuntimeException e) {
            log.error("cannot raise event type={} error={}", type.wire(), e.toString());
        }
    }

    /** Sends every pending event, oldest first; stops at the first one the session cannot take. */
    public void flush() {
        while (publisher.isConnected()) {
            byte[] next;
            synchronized (pending) {
                next = pending.pollFirst();
            }
            if (next == null) {
                return;
            }
            publisher.publish(OutgoingMessage.qos1(Topics.events(deviceId), next, false))
                    .whenComplete((ok, error) -> {
                        if (error != null) {
                            requeue(next, error);
                        }
                    });
        }
    }

    private void requeue(byte[] payload, Throwable error) {
        if (publisher.isConnected()) {
            // refused while connected (e.g. PUBACK 0x99): sending it again would be refused again
            log.warn("event refused by the broker, dropped error={}", error.toString());
            return;
        }
        log.debug("event not acknowledged, kept for the next connect error={}", error.toString());
        synchronized (pending) {
            if (pending.size() < MAX_PENDING) {
                pending.addFirst(payload);
            } else {
                droppedWhileOffline++;
            }
        }
    }

    /** Events waiting for a connection. */
    public int pendingCount() {
        synchronized (pending) {
            return pending.size();
        }
    }

    /** Events dropped because the buffer was full while offline. */
    public long droppedWhileOffline() {
        synchronized (pending) {
            return droppedWhileOffline;
        }
    }

    private static String shorten(String message) {
        if (message == null || message.length() <= MAX_MESSAGE) {
            return message;
        }
        return message.substring(0, MAX_MESSAGE - 3) + "...";
    }
}
