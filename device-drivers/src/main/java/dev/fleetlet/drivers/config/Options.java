package dev.fleetlet.drivers.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed access to the string {@code options} of a sensor or actuator spec. Each getter returns the
 * default when the key is absent and, when the value cannot be used, records a problem under
 * {@code options.<key>} and returns the default so that validation can go on and report everything.
 */
public final class Options {

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)");

    private final Map<String, String> values;
    private final Problems problems;

    /**
     * @param values   the options map of a spec
     * @param problems a collector scoped to the spec entry (e.g. {@code sensors[2]})
     */
    public Options(Map<String, String> values, Problems problems) {
        this.values = values;
        this.problems = problems;
    }

    /** Reports every option key not in {@code allowed} as unknown (catches typos). */
    public Options allowOnly(Set<String> allowed) {
        values.keySet().stream().sorted().filter(k -> !allowed.contains(k)).forEach(k ->
                problems.add("options." + k, "unknown option, expected one of " + allowed.stream().sorted().toList()));
        return this;
    }

    public String string(String key, String defaultValue) {
        String v = values.get(key);
        return v == null ? defaultValue : v;
    }

    public <E extends Enum<E>> E choice(String key, Class<E> type, E defaultValue) {
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().replace('_', '-').equalsIgnoreCase(v.trim())) {
                return e;
            }
        }
        problems.add("options." + key, "expected one of " + java.util.Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList() + ", got '" + v + "'");
        return defaultValue;
    }

    public boolean bool(String key, boolean defaultValue) {
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        problems.add("options." + key, "expected true or false, got '" + v + "'");
        return defaultValue;
    }

    public double number(String key, double defaultValue, double min, double max) {
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (d >= min && d <= max) {
                return d;
            }
            problems.add("options." + key, "expected a number within [" + fmt(min) + ", " + fmt(max) + "], got " + v);
        } catch (NumberFormatException e) {
            problems.add("options." + key, "expected a number, got '" + v + "'");
        }
        return defaultValue;
    }

    public int integer(String key, int defaultValue, int min, int max) {
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            int i = Integer.decode(v.trim());
            if (i >= min && i <= max) {
                return i;
            }
            problems.add("options." + key, "expected an integer within [" + min + ", " + max + "], got " + v);
        } catch (NumberFormatException e) {
            problems.add("options." + key, "expected an integer, got '" + v + "'");
        }
        return defaultValue;
    }

    /**
     * The {@code stuck-threshold} option shared by the chip drivers: identical raw samples in a row that
     * make readings suspect, 0 (off) or 2..1,000,000; 1 is reported and read as {@code defaultValue}.
     */
    public int stuckThreshold(int defaultValue) {
        int stuck = integer("stuck-threshold", defaultValue, 0, 1_000_000);
        if (stuck == 1) {
            problems.add("options.stuck-threshold", "expected 0 (off) or at least 2, got 1");
            stuck = defaultValue;
        }
        return stuck;
    }

    public Duration duration(String key, Duration defaultValue) {
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        Duration d = parseDuration(v);
        if (d == null) {
            problems.add("options." + key, "expected a duration like 20ms, 5s, 1m, got '" + v + "'");
            return defaultValue;
        }
        return d;
    }

    /**
     * Parses {@code 250ms}, {@code 10s}, {@code 1.5s}, {@code 5m}, {@code 2h}, {@code 1d} or an ISO-8601
     * duration ({@code PT10S}); returns {@code null} when the text is none of these or negative.
     */
    public static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(t);
        if (m.matches()) {
            double amount = Double.parseDouble(m.group(1));
            double unitNanos = switch (m.group(2)) {
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                case "h" -> 3600e9;
                default -> 86400e9;
            };
            return Duration.ofNanos(Math.round(amount * unitNanos));
        }
        try {
            Duration d = Duration.parse(text.trim().toUpperCase(Locale.ROOT));
            return d.isNegative() ? null : d;
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
