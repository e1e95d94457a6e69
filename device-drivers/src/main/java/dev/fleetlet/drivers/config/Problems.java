package dev.fleetlet.drivers.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Collects configuration problems under a key-path prefix. A driver factory receives a collector
 * scoped to its entry (e.g. {@code sensors[2]}) and reports keys relative to it:
 * {@code problems.add("address", "expected 0x76 or 0x77, got 0x10")} becomes
 * {@code sensors[2].address: expected 0x76 or 0x77, got 0x10}.
 */
public final class Problems {

    private final String prefix;
    private final List<String> sink;

    private Problems(String prefix, List<String> sink) {
        this.prefix = prefix;
        this.sink = sink;
    }

    /** A fresh, unscoped collector. */
    public static Problems root() {
        return new Problems("", new ArrayList<>());
    }

    /**
     * Runs {@code check} with a fresh collector scoped to {@code keyPath} and returns its result, or throws
     * {@link ConfigException} with every problem it recorded. For driver factories whose {@code create}
     * checks a spec exactly as their {@code validate} does.
     */
    public static <T> T checked(String keyPath, Function<Problems, T> check) {
        Problems problems = root().scoped(keyPath);
        T result = check.apply(problems);
        problems.throwIfAny();
        return result;
    }

    /** A collector that writes into the same list under {@code prefix.key}. */
    public Problems scoped(String key) {
        return new Problems(path(key), sink);
    }

    /** Records a problem about {@code key} (relative to this collector's scope). */
    public void add(String key, String message) {
        sink.add(path(key) + ": " + message);
    }

    /** The full key path of {@code key} in this scope. */
    public String path(String key) {
        if (key == null || key.isEmpty()) {
            return prefix;
        }
        if (prefix.isEmpty()) {
            return key;
        }
        return key.startsWith("[") ? prefix + key : prefix + "." + key;
    }

    public boolean isEmpty() {
        return sink.isEmpty();
    }

    public List<String> all() {
        return List.copyOf(sink);
    }

    /** Throws {@link ConfigException} carrying every problem collected so far, if any. */
    public void throwIfAny() {
        if (!sink.isEmpty()) {
            throw new ConfigException(sink);
        }
    }
}
