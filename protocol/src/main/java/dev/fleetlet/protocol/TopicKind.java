package dev.fleetlet.protocol;

import java.util.Optional;

/**
 * The per-device topics of the protocol, with their delivery rules.
 *
 * <p>Each constant states who publishes it, its QoS, whether it is retained, and the largest payload
 * the receiver accepts. The ACL ({@link Acl}) is derived from the {@link Publisher} column.
 */
public enum TopicKind {
    /** Birth (online, with hardware facts) by the device; death (offline) as its Last Will. */
    PRESENCE("presence", Publisher.DEVICE, 1, true, 8 * 1024),
    /** Batched sensor readings with a per-device sequence number. */
    TELEMETRY("telemetry", Publisher.DEVICE, 1, false, 64 * 1024),
    /** What the server wants the device to run, with a monotonically increasing generation. */
    DESIRED_STATE("state/desired", Publisher.SERVER, 1, true, 256 * 1024),
    /** What the device runs and how it is doing. */
    REPORTED_STATE("state/reported", Publisher.DEVICE, 1, true, 64 * 1024),
    /** Update progress and other device events. */
    EVENTS("events", Publisher.DEVICE, 1, false, 16 * 1024),
    /** Commands to the device (MQTT v5 request: response topic and correlation data set). */
    COMMAND_REQUEST("commands/req", Publisher.SERVER, 1, false, 16 * 1024),
    /** Answers to commands, on the request's response topic with its correlation data. */
    COMMAND_RESPONSE("commands/res", Publisher.DEVICE, 1, false, 64 * 1024),
    /** Log lines streamed on demand, in chunks. */
    LOGS("logs", Publisher.DEVICE, 1, false, 64 * 1024);

    /** Who may publish on a topic. */
    public enum Publisher {
        DEVICE, SERVER
    }

    private final String suffix;
    private final Publisher publisher;
    private final int qos;
    private final boolean retained;
    private final int maxPayloadBytes;

    TopicKind(String suffix, Publisher publisher, int qos, boolean retained, int maxPayloadBytes) {
        this.suffix = suffix;
        this.publisher = publisher;
        this.qos = qos;
        this.retained = retained;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /** The topic levels after {@code fleetlet/v1/devices/{id}/}. */
    public String suffix() {
        return suffix;
    }

    public Publisher publisher() {
        return publisher;
    }

    public int qos() {
        return qos;
    }

    public boolean retained() {
        return retained;
    }

    /** The largest payload, in bytes, that a receiver accepts on this topic; larger ones are rejected. */
    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    static Optional<TopicKind> fromSuffix(String suffix) {
        for (TopicKind kind : values()) {
            if (kind.suffix.equals(suffix)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
