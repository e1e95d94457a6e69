package dev.fleetlet.server.device.selector;

import java.util.List;
import java.util.Map;

/**
 * One term of a label selector. Negative terms ({@code !=}, {@code notin}, {@code !key}) also match
 * objects that do not carry the key at all, as in Kubernetes.
 */
public sealed interface Requirement {

    /** The label key the term is about. */
    String key();

    /** Whether a label set satisfies this term. */
    boolean matches(Map<String, String> labels);

    /** {@code key=value} or {@code key==value}. */
    record Equals(String key, String value) implements Requirement {
        @Override
        public boolean matches(Map<String, String> labels) {
            return value.equals(labels.get(key));
        }
    }

    /** {@code key!=value}. */
    record NotEquals(String key, String value) implements Requirement {
        @Override
        public boolean matches(Map<String, String> labels) {
            return !value.equals(labels.get(key));
        }
    }

    /** {@code key in (a,b)}. */
    record In(String key, List<String> values) implements Requirement {
        public In {
            values = List.copyOf(values);
        }

        @Override
        public boolean matches(Map<String, String> labels) {
            return labels.containsKey(key) && values.contains(labels.get(key));
        }
    }

    /** {@code key notin (a,b)}. */
    record NotIn(String key, List<String> values) implements Requirement {
        public NotIn {
            values = List.copyOf(values);
        }

        @Override
        public boolean matches(Map<String, String> labels) {
            return !labels.containsKey(key) || !values.contains(labels.get(key));
        }
    }

    /** {@code key}: the label is present, whatever its value. */
    record Exists(String key) implements Requirement {
        @Override
        public boolean matches(Map<String, String> labels) {
            return labels.containsKey(key);
        }
    }

    /** {@code !key}: the label is absent. */
    record NotExists(String key) implements Requirement {
        @Override
        public boolean matches(Map<String, String> labels) {
            return !labels.containsKey(key);
        }
    }
}
