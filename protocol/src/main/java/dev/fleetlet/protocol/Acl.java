package dev.fleetlet.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The broker access rules of the protocol: what each kind of client may publish and subscribe to.
 * Anything not allowed by a rule is denied.
 *
 * <ul>
 *   <li>A <b>device</b> publishes only the device-published topics under its own prefix and subscribes
 *       only to its own desired state and command requests (exact topics, no wildcards).</li>
 *   <li>A <b>telemetry reader</b> (a service account for mosquitto_sub, Node-RED, Telegraf, ...) may
 *       subscribe, read-only, to telemetry and presence of every device, with the single-level wildcard
 *       or a concrete device id, directly or through a shared subscription ({@code $share/group/...}).</li>
 * </ul>
 * The fleet server itself does not go through these rules: it runs inside the broker process.
 */
public final class Acl {

    private Acl() {
    }

    /** Publish or subscribe. */
    public enum Action {
        PUBLISH, SUBSCRIBE
    }

    /**
     * One allow rule.
     *
     * @param action      what it allows
     * @param topicFilter an MQTT topic filter; {@code +} matches one level
     * @param retain      for publish rules: whether the retain flag may be set
     */
    public record Rule(Action action, String topicFilter, boolean retain) {
        public Rule {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(topicFilter, "topicFilter");
        }
    }

    /** The rules of device {@code deviceId}. */
    public static List<Rule> forDevice(String deviceId) {
        Topics.requireDeviceId(deviceId);
        List<Rule> rules = new ArrayList<>();
        for (TopicKind kind : TopicKind.values()) {
            if (kind.publisher() == TopicKind.Publisher.DEVICE) {
                rules.add(new Rule(Action.PUBLISH, Topics.of(deviceId, kind), kind.retained()));
            }
        }
        rules.add(new Rule(Action.SUBSCRIBE, Topics.desiredState(deviceId), false));
        rules.add(new Rule(Action.SUBSCRIBE, Topics.commandRequests(deviceId), false));
        return List.copyOf(rules);
    }

    /** The rules of a read-only telemetry reader (service account). */
    public static List<Rule> forTelemetryReader() {
        return List.of(
                new Rule(Action.SUBSCRIBE, Topics.allDevices(TopicKind.TELEMETRY), false),
                new Rule(Action.SUBSCRIBE, Topics.allDevices(TopicKind.PRESENCE), false));
    }

    /**
     * Whether {@code rules} allow {@code action} on {@code topic}. For subscriptions {@code topic} is the
     * requested filter: it is allowed when a rule's filter covers it (a {@code +} in the rule covers a
     * {@code +} or one concrete level; {@code #} in a request is never covered, nor is a level that
     * mixes a wildcard with other characters). A shared subscription prefix {@code $share/<group>/} is
     * removed before matching. Publishing to a topic containing a wildcard is never permitted.
     */
    public static boolean permits(List<Rule> rules, Action action, String topic) {
        return permits(rules, action, topic, false);
    }

    /**
     * Like {@link #permits(List, Action, String)}, and for a publish with the retain flag set also
     * requires a rule that allows retaining: a device may retain its presence and reported state, never
     * its telemetry, events, command responses or logs.
     */
    public static boolean permits(List<Rule> rules, Action action, String topic, boolean retain) {
        String requested = action == Action.SUBSCRIBE ? stripSharePrefix(topic) : topic;
        if (requested == null || requested.isEmpty()) {
            return false;
        }
        if (action == Action.PUBLISH && (requested.contains("+") || requested.contains("#"))) {
            return false;
        }
        for (Rule rule : rules) {
            boolean retainOk = action != Action.PUBLISH || !retain || rule.retain();
            if (rule.action() == action && retainOk && covers(rule.topicFilter(), requested)) {
                return true;
            }
        }
        return false;
    }

    /** Removes a {@code $share/<group>/} prefix; returns {@code null} for a malformed shared filter. */
    static String stripSharePrefix(String filter) {
        if (filter == null || !filter.startsWith("$share/")) {
            return filter;
        }
        int groupEnd = filter.indexOf('/', "$share/".length());
        if (groupEnd <= "$share/".length()) {
            return null;
        }
        return filter.substring(groupEnd + 1);
    }

    private static boolean covers(String ruleFilter, String requested) {
        String[] rule = ruleFilter.split("/", -1);
        String[] req = requested.split("/", -1);
        if (rule.length != req.length) {
            return false;
        }
        for (int i = 0; i < rule.length; i++) {
            if (req[i].contains("#") || req[i].contains("+") && !req[i].equals("+")) {
                return false;
            }
            if (rule[i].equals("+")) {
                continue;
            }
            if (!rule[i].equals(req[i])) {
                return false;
            }
        }
        return true;
    }
}
