package dev.fleetlet.protocol.app.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import dev.fleetlet.protocol.app.Problem;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Typed access to a JSON tree that records a {@link Problem} instead of throwing. */
public final class Reader {

    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final Pattern VAR = Pattern.compile("\\$\\{[^}]*}|\\$[A-Za-z_]");
    private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,255}");

    private final List<Problem> problems = new ArrayList<>();

    public List<Problem> problems() {
        return problems;
    }

    public void problem(String path, String message) {
        problems.add(new Problem(path, message));
    }

    public static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public static String show(JsonNode node) {
        if (node == null || node.isNull()) {
            return "null";
        }
        if (node.isContainerNode()) {
            return node.isArray() ? "a list" : "a mapping";
        }
        String s = node.toString();
        return s.length() > 60 ? s.substring(0, 57) + "...\"" : s;
    }

    /**
     * Checks the keys of a mapping: known keys pass, keys in {@code unsupported} get a "not supported"
     * problem, others an "unknown key" one. Returns false when the node is not a mapping.
     */
    public boolean keys(JsonNode obj, String path, Set<String> known, Set<String> unsupported) {
        if (obj == null || !obj.isObject()) {
            problem(path, "expected a mapping, was " + show(obj));
            return false;
        }
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (known.contains(k)) {
                continue;
            }
            if (unsupported.contains(k)) {
                problem(child(path, k), "not supported by Fleetlet (see docs/app-spec.md)");
            } else {
                problem(child(path, k), "unknown key");
            }
        }
        return true;
    }

    /** A string (numbers and booleans are refused so that {@code yes} never silently becomes "true"). */
    public String string(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            problem(path, "expected a string, was " + show(node));
            return null;
        }
        return node.textValue();
    }

    /** A scalar as a string: strings, numbers, booleans (for environment values and labels). */
    public String scalarText(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return "";
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isNumber()) {
            if (node.isIntegralNumber()) {
                return node.bigIntegerValue().toString();
            }
            BigDecimal d = decimal(node);
            if (d == null) {
                problem(path, "expected a finite number, was " + show(node));
                return null;
            }
            return d.toPlainString();
        }
        if (node.isBoolean()) {
            return Boolean.toString(node.booleanValue());
        }
        problem(path, "expected a scalar value, was " + show(node));
        return null;
    }

    /** The exact decimal value of a number node, or null for infinities and NaN (doubles from JSON). */
    public static BigDecimal decimal(JsonNode node) {
        if (node.isDouble() || node.isFloat()) {
            double v = node.doubleValue();
            return Double.isFinite(v) ? BigDecimal.valueOf(v) : null;
        }
        return node.decimalValue();
    }

    public Boolean bool(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isBoolean()) {
            problem(path, "expected true or false, was " + show(node));
            return null;
        }
        return node.booleanValue();
    }

    /** A whole number in [min, max]. */
    public Long integer(JsonNode node, String path, long min, long max) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < min || node.longValue() > max) {
            problem(path, "expected a whole number from " + min + " to " + max + ", was " + show(node));
            return null;
        }
        return node.longValue();
    }

    public Long bytes(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return null;
        }
        Long v = null;
        if (node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= 0) {
            v = node.longValue();
        } else if (node.isTextual()) {
            v = Values.parseBytes(node.textValue());
        }
        if (v == null) {
            problem(path, "expected a byte size like 64m or 1g, was " + show(node));
        }
        return v;
    }

    public java.time.Duration duration(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return null;
        }
        java.time.Duration d = node.isTextual() ? Values.parseDuration(node.textValue()) : null;
        if (d == null) {
            problem(path, "expected a duration like 1m30s, 10s or 500ms, was " + show(node));
        }
        return d;
    }

    /** A list of strings. */
    public List<String> strings(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            problem(path, "expected a list of strings, was " + show(node));
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String s = string(node.get(i), path + "[" + i + "]");
            if (s != null) {
                out.add(s);
            } else if (node.get(i).isNull()) {
                problem(path + "[" + i + "]", "expected a string, was null");
            }
        }
        return out;
    }

    /** A command: a list of strings, or a string split like a shell would (no expansion). */
    public List<String> command(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            try {
                return Values.splitShellWords(node.textValue());
            } catch (IllegalArgumentException e) {
                problem(path, e.getMessage() + " in " + show(node));
                return null;
            }
        }
        if (!node.isArray()) {
            problem(path, "expected a string or a list of strings, was " + show(node));
            return null;
        }
        return strings(node, path);
    }

    /**
     * A string map written as a mapping or as a list of {@code K=V} (for environment and labels).
     * Values containing {@code ${VAR}} or {@code $VAR} are refused when {@code noInterpolation}.
     */
    public Map<String, String> stringMap(JsonNode node, String path, boolean envKeys, boolean noInterpolation) {
        if (node == null || node.isNull()) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                put(out, e.getKey(), scalarText(e.getValue(), child(path, e.getKey())), child(path, e.getKey()),
                        envKeys, noInterpolation);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String p = path + "[" + i + "]";
                String item = string(node.get(i), p);
                if (item == null) {
                    continue;
                }
                int eq = item.indexOf('=');
                if (eq <= 0) {
                    problem(p, "expected KEY=VALUE, was " + show(node.get(i))
                            + (eq < 0 ? " (passing a variable through from the host is not supported)" : ""));
                    continue;
                }
                String key = item.substring(0, eq);
                if (out.containsKey(key)) {
                    problem(p, "duplicate key " + key);
                    continue;
                }
                put(out, key, item.substring(eq + 1), child(path, key), envKeys, noInterpolation);
            }
        } else {
            problem(path, "expected a mapping or a list of KEY=VALUE, was " + show(node));
            return null;
        }
        return out;
    }

    private void put(Map<String, String> out, String key, String value, String path, boolean envKeys,
                     boolean noInterpolation) {
        if (value == null) {
            return;
        }
        if (envKeys && !ENV_KEY.matcher(key).matches()) {
            problem(path, "not a valid variable name");
            return;
        }
        if (key.isEmpty() || key.length() > 256) {
            problem(path, "key must be 1 to 256 characters");
            return;
        }
        if (noInterpolation && VAR.matcher(value.replace("$$", "")).find()) {
            problem(path, "variable interpolation (${VAR}) is not supported; write the value literally, or $$ for a literal $");
            return;
        }
        out.put(key, noInterpolation ? value.replace("$$", "$") : value);
    }
}
