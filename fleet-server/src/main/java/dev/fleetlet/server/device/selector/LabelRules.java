package dev.fleetlet.server.device.selector;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The label syntax, the same as Kubernetes labels: a key is an optional DNS-subdomain prefix (at most 253
 * characters, lowercase) and {@code /}, then a name of 1 to 63 characters that starts and ends with a
 * letter or digit and has {@code -}, {@code _}, {@code .} inside; a value is empty or follows the name rule.
 */
public final class LabelRules {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private LabelRules() {
    }

    /** Why {@code key} is not a valid label key, or empty when it is. */
    public static Optional<String> keyProblem(String key) {
        if (key == null || key.isEmpty()) {
            return Optional.of("label key must not be empty");
        }
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
                return Optional.of("label key prefix '" + prefix + "' must be a lowercase DNS subdomain of at most 253 characters");
            }
        }
        if (name.isEmpty() || name.length() > 63 || !NAME.matcher(name).matches()) {
            return Optional.of("label key name '" + name + "' must be 1-63 characters [A-Za-z0-9-_.], starting and ending with a letter or digit");
        }
        return Optional.empty();
    }

    /** Why {@code value} is not a valid label value, or empty when it is. */
    public static Optional<String> valueProblem(String value) {
        if (value == null) {
            return Optional.of("label value must not be null");
        }
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (value.length() > 63 || !NAME.matcher(value).matches()) {
            return Optional.of("label value '" + value + "' must be at most 63 characters [A-Za-z0-9-_.], starting and ending with a letter or digit");
        }
        return Optional.empty();
    }

    /**
     * Validates a whole label map and returns the problems keyed by {@code labels.<key>}, in key order;
     * empty when all labels are valid.
     */
    public static Map<String, String> problems(Map<String, String> labels) {
        Map<String, String> problems = new LinkedHashMap<>();
        if (labels == null) {
            return problems;
        }
        labels.forEach((k, v) -> {
            Optional<String> p = keyProblem(k).or(() -> valueProblem(v));
            p.ifPresent(msg -> problems.put("labels." + k, msg));
        });
        return problems;
    }
}
