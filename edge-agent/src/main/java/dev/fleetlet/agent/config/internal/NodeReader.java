package dev.fleetlet.agent.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads typed values out of a parsed YAML/JSON mapping, collecting a problem (naming the key path, what
 * was expected and what was found) instead of throwing. One instance per mapping; {@link #child} scopes
 * to a nested mapping and shares the problem list.
 */
public final class NodeReader {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB)?");

    private final JsonNode node;
    private final String prefix;
    private final List<String> problems;

    private NodeReader(JsonNode node, String prefix, List<String> problems) {
        this.node = node;
        this.prefix = prefix;
        this.problems = problems;
    }

    /** A reader of the top-level mapping. */
    public static NodeReader root(JsonNode node) {
        return new NodeReader(node, "", new ArrayList<>());
    }

    public List<String> problems() {
        return problems;
    }

    public void problem(String key, String message) {
        problems.add(path(key) + ": " + message);
    }

    /** Reports every key not in {@code allowed}. */
    public void allowOnly(Set<String> allowed) {
        if (node == null || !node.isObject()) {
            return;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                problem(key, "unknown key, expected one of " + allowed.stream().sorted().toList());
            }
        }
    }

    /** The nested mapping under {@code key}; an empty one when absent; a problem when not a mapping. */
    public NodeReader child(String key) {
        JsonNode value = node == null ? null : node.get(key);
        if (value != null && !value.isNull() && !value.isObject()) {
            problem(key, "expected a mapping, got " + describe(value));
            value = null;
        }
        return new NodeReader(value, path(key), problems);
    }

    /** The raw subtree under {@code key}, or null. */
    public JsonNode raw(String key) {
        JsonNode value = node == null ? null : node.get(key);
        return value == null || value.isNull() ? null : value;
    }

    public String string(String key, String fallback) {
        JsonNode value = raw(key);
        if (value == null) {
            return fallback;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            problem(key, "expected a non-empty string, got " + describe(value));
            return fallback;
        }
        return value.asText();
    }

    public Path path(String key, Path fallback) {
        String text = string(key, null);
        if (text == null) {
            return fallback;
        }
        if (!text.startsWith("/")) {
            problem(key, "expected an absolute path, got '" + text + "'");
            return fallback;
        }
        return Path.of(text);
    }

    public int integer(String key, int fallback, int min, int max) {
        JsonNode value = raw(key);
        if (value == null) {
            return fallback;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.intValue() < min || value.intValue() > max) {
            problem(key, "expected an integer from " + min + " to " + max + ", got " + describe(value));
            return fallback;
        }
        return value.intValue();
    }

    /** A duration written {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h} or {@code 1d}. */
    public Duration duration(String key, Duration fallback, Duration min, Duration max) {
        JsonNode value = raw(key);
        if (value == null) {
            return fallback;
        }
        Matcher m = DURATION.matcher(value.isTextual() ? value.asText().trim() : "");
        String expected = "expected a duration from " + min + " to " + max + " written like 500ms, 10s, 5m, 1h or 1d, got ";
        if (!m.matches()) {
            problem(key, expected + describe(value));
            return fallback;
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            problem(key, expected + describe(value));
            return fallback;
        }
        return d;
    }

    /** A byte size: an integer, or {@code 512KiB}, {@code 64MiB}, {@code 1GiB}. */
    public long size(String key, long fallback, long min, long max) {
        JsonNode value = raw(key);
        if (value == null) {
            return fallback;
        }
        String expected = "expected a size from " + min + " to " + max + " bytes, written like 4096, 512KiB or 64MiB, got ";
        Matcher m = SIZE.matcher(value.isIntegralNumber() ? value.asText() : value.isTextual() ? value.asText().trim() : "");
        if (!m.matches()) {
            problem(key, expected + describe(value));
            return fallback;
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            problem(key, expected + describe(value));
            return fallback;
        }
        String unit = m.group(2) == null ? "B" : m.group(2);
        long bytes = switch (unit) {
            case "KiB" -> n * 1024;
            case "MiB" -> n * 1024 * 1024;
            case "GiB" -> n * 1024 * 1024 * 1024;
            default -> n;
        };
        if (bytes < min || bytes > max) {
            problem(key, expected + describe(value));
            return fallback;
        }
        return bytes;
    }

    private String path(String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }

    private static String describe(JsonNode value) {
        if (value.isTextual()) {
            return "'" + value.asText() + "'";
        }
        return value.getNodeType().name().toLowerCase(Locale.ROOT) + " " + value;
    }
}
