package dev.fleetlet.protocol.codec;

import dev.fleetlet.protocol.TopicKind;
import dev.fleetlet.protocol.message.CommandRequest;
import dev.fleetlet.protocol.message.CommandResponse;
import dev.fleetlet.protocol.message.DesiredState;
import dev.fleetlet.protocol.message.DeviceEvent;
import dev.fleetlet.protocol.message.EnrollmentRequest;
import dev.fleetlet.protocol.message.EnrollmentResponse;
import dev.fleetlet.protocol.message.LogChunk;
import dev.fleetlet.protocol.message.Presence;
import dev.fleetlet.protocol.message.ReportedState;
import dev.fleetlet.protocol.message.TelemetryBatch;
import java.util.List;
import java.util.Objects;

/**
 * Every payload of the protocol: its record, its JSON Schema (under
 * {@code /dev/fleetlet/protocol/schema/<name>.schema.json}), its size limit and, for MQTT payloads,
 * whether it carries the version field {@code v}.
 *
 * @param <T> the record type
 */
public final class MessageType<T> {

    public static final MessageType<Presence> PRESENCE = mqtt("presence", Presence.class, TopicKind.PRESENCE);
    public static final MessageType<TelemetryBatch> TELEMETRY =
            mqtt("telemetry", TelemetryBatch.class, TopicKind.TELEMETRY);
    public static final MessageType<DesiredState> DESIRED_STATE =
            mqtt("desired-state", DesiredState.class, TopicKind.DESIRED_STATE);
    public static final MessageType<ReportedState> REPORTED_STATE =
            mqtt("reported-state", ReportedState.class, TopicKind.REPORTED_STATE);
    public static final MessageType<DeviceEvent> EVENT = mqtt("event", DeviceEvent.class, TopicKind.EVENTS);
    public static final MessageType<CommandRequest> COMMAND_REQUEST =
            mqtt("command-request", CommandRequest.class, TopicKind.COMMAND_REQUEST);
    public static final MessageType<CommandResponse> COMMAND_RESPONSE =
            mqtt("command-response", CommandResponse.class, TopicKind.COMMAND_RESPONSE);
    public static final MessageType<LogChunk> LOG_CHUNK = mqtt("log-chunk", LogChunk.class, TopicKind.LOGS);
    public static final MessageType<EnrollmentRequest> ENROLLMENT_REQUEST =
            new MessageType<>("enrollment-request", EnrollmentRequest.class, null, 16 * 1024, false);
    public static final MessageType<EnrollmentResponse> ENROLLMENT_RESPONSE =
            new MessageType<>("enrollment-response", EnrollmentResponse.class, null, 16 * 1024, false);

    /** All message types, in documentation order. */
    public static final List<MessageType<?>> ALL = List.of(PRESENCE, TELEMETRY, DESIRED_STATE, REPORTED_STATE, EVENT,
            COMMAND_REQUEST, COMMAND_RESPONSE, LOG_CHUNK, ENROLLMENT_REQUEST, ENROLLMENT_RESPONSE);

    private final String name;
    private final Class<T> type;
    private final TopicKind topic;
    private final int maxBytes;
    private final boolean versioned;

    private MessageType(String name, Class<T> type, TopicKind topic, int maxBytes, boolean versioned) {
        this.name = Objects.requireNonNull(name);
        this.type = Objects.requireNonNull(type);
        this.topic = topic;
        this.maxBytes = maxBytes;
        this.versioned = versioned;
    }

    private static <T> MessageType<T> mqtt(String name, Class<T> type, TopicKind topic) {
        return new MessageType<>(name, type, topic, topic.maxPayloadBytes(), true);
    }

    /** The schema and golden-file name, e.g. {@code telemetry}. */
    public String name() {
        return name;
    }

    public Class<T> type() {
        return type;
    }

    /** The topic this payload travels on, or null for REST payloads. */
    public TopicKind topic() {
        return topic;
    }

    /** The largest accepted encoded size in bytes. */
    public int maxBytes() {
        return maxBytes;
    }

    /** Whether the payload carries the protocol version field {@code v}. */
    public boolean versioned() {
        return versioned;
    }

    /** The classpath resource of the JSON Schema. */
    public String schemaResource() {
        return "/dev/fleetlet/protocol/schema/" + name + ".schema.json";
    }

    /** The message type carried on {@code kind}. */
    public static MessageType<?> forTopic(TopicKind kind) {
        for (MessageType<?> t : ALL) {
            if (t.topic == kind) {
                return t;
            }
        }
        throw new IllegalArgumentException("no message type for topic kind " + kind);
    }

    @Override
    public String toString() {
        return name;
    }
}
