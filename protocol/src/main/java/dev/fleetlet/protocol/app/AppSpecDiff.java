package dev.fleetlet.protocol.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * What changed between two app specs, key by key, for the server's release diff. Works on the
 * canonical JSON ({@link AppSpecJson}), so paths are those of the documented syntax and defaults
 * compare equal to absent keys. Mappings are compared key by key (an environment variable, a label, a
 * whole service added or removed); lists and scalars as whole values.
 */
public final class AppSpecDiff {

    private AppSpecDiff() {
    }

    /**
     * One difference.
     *
     * @param path   key path, e.g. {@code services.web.image}, {@code services.web.environment.LOG_LEVEL}
     * @param kind   added, removed or changed
     * @param before the old value as text (strings bare, anything else as compact JSON), null when added
     * @param after  the new value as text, null when removed
     */
    public record Change(String path, Kind kind, String before, String after) {

        public Change {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(kind, "kind");
        }

        /** {@code services.web.image: nginx:1 -> nginx:2}, {@code services.db: added}. */
        @Override
        public String toString() {
            return switch (kind) {
                case ADDED -> path + ": added " + after;
                case REMOVED -> path + ": removed (was " + before + ")";
                case CHANGED -> path + ": " + before + " -> " + after;
            };
        }
    }

    /** Kinds of change. */
    public enum Kind { ADDED, REMOVED, CHANGED }

    /** The changes from {@code a} to {@code b}, in canonical key order; empty when they are equal. */
    public static List<Change> between(AppSpec a, AppSpec b) {
        List<Change> out = new ArrayList<>();
        diff("", AppSpecJson.toJson(a), AppSpecJson.toJson(b), out);
        return List.copyOf(out);
    }

    private static void diff(String path, JsonNode a, JsonNode b, List<Change> out) {
        if (a.equals(b)) {
            return;
        }
        if (a.isObject() && b.isObject()) {
            for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                String p = path.isEmpty() ? k : path + "." + k;
                if (b.has(k)) {
                    diff(p, a.get(k), b.get(k), out);
                } else {
                    out.add(new Change(p, Kind.REMOVED, text(a.get(k)), null));
                }
            }
            for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!a.has(k)) {
                    out.add(new Change(path.isEmpty() ? k : path + "." + k, Kind.ADDED, null, text(b.get(k))));
                }
            }
            return;
        }
        out.add(new Change(path, Kind.CHANGED, text(a), text(b)));
    }

    private static String text(JsonNode n) {
        return n.isTextual() ? n.textValue() : n.toString();
    }
}
