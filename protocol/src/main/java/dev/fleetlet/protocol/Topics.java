package dev.fleetlet.protocol;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Builds and parses every MQTT topic of protocol version {@value #VERSION}.
 *
 * <p>All topics live under {@code fleetlet/v1/devices/{deviceId}/...}; the version segment lets a
 * future protocol run beside this one on the same broker. A device id is lowercase letters, digits and
 * dashes, 3 to 64 characters, starting with a letter or digit: it is safe as an MQTT topic level, a
 * client identifier and a user name. See docs/protocol.md for who publishes and subscribes to each.
 */
public final class Topics {

    /** The protocol version carried in the topic root and in every payload's {@code v} field. */
    public static final int VERSION = 1;
    /** The root of every topic of this protocol version. */
    public static final String ROOT = "fleetlet/v" + VERSION;
    /** The prefix of all per-device topics. */
    public static final String DEVICES = ROOT + "/devices/";

    private static final Pattern DEVICE_ID = Pattern.compile("[a-z0-9][a-z0-9-]{2,63}");

    private Topics() {
    }

    /** True when {@code id} is a well-formed device id. */
    public static boolean isValidDeviceId(String id) {
        return id != null && DEVICE_ID.matcher(id).matches();
    }

    /** Throws {@link IllegalArgumentException} naming the rule when {@code id} is not a valid device id. */
    public static String requireDeviceId(String id) {
        if (!isValidDeviceId(id)) {
            throw new IllegalArgumentException("deviceId must match " + DEVICE_ID.pattern() + ", was '" + id + "'");
        }
        return id;
    }

    /** The topic of {@code kind} for one device. */
    public static String of(String deviceId, TopicKind kind) {
        return DEVICES + requireDeviceId(deviceId) + "/" + kind.suffix();
    }

    public static String presence(String deviceId) {
        return of(deviceId, TopicKind.PRESENCE);
    }

    public static String telemetry(String deviceId) {
        return of(deviceId, TopicKind.TELEMETRY);
    }

    public static String desiredState(String deviceId) {
        return of(deviceId, TopicKind.DESIRED_STATE);
    }

    public static String reportedState(String deviceId) {
        return of(deviceId, TopicKind.REPORTED_STATE);
    }

    public static String events(String deviceId) {
        return of(deviceId, TopicKind.EVENTS);
    }

    public static String commandRequests(String deviceId) {
        return of(deviceId, TopicKind.COMMAND_REQUEST);
    }

    public static String commandResponses(String deviceId) {
        return of(deviceId, TopicKind.COMMAND_RESPONSE);
    }

    public static String logs(String deviceId) {
        return of(deviceId, TopicKind.LOGS);
    }

    /** A filter matching {@code kind} for every device, e.g. {@code fleetlet/v1/devices/+/telemetry}. */
    public static String allDevices(TopicKind kind) {
        return DEVICES + "+/" + kind.suffix();
    }

    /**
     * Parses a concrete topic (no wildcards) of this protocol version.
     *
     * @return the device id and kind, or empty when the topic is not one of ours (wrong root, wrong
     *     version, unknown kind, malformed device id)
     */
    public static Optional<DeviceTopic> parse(String topic) {
        if (topic == null || !topic.startsWith(DEVICES)) {
            return Optional.empty();
        }
        String rest = topic.substring(DEVICES.length());
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            return Optional.empty();
        }
        String deviceId = rest.substring(0, slash);
        if (!isValidDeviceId(deviceId)) {
            return Optional.empty();
        }
        return TopicKind.fromSuffix(rest.substring(slash + 1)).map(kind -> new DeviceTopic(deviceId, kind));
    }

    /** A parsed per-device topic. */
    public record DeviceTopic(String deviceId, TopicKind kind) {
        public DeviceTopic {
            Objects.requireNonNull(kind, "kind");
            requireDeviceId(deviceId);
        }

        public String topic() {
            return of(deviceId, kind);
        }
    }
}
