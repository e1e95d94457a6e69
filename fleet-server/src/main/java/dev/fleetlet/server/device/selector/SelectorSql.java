package dev.fleetlet.server.device.selector;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Translates a {@link Selector} into a portable SQL condition over the {@code device_labels} table
 * (one {@code EXISTS}/{@code NOT EXISTS} sub-query per requirement, bound parameters only, no user text in
 * the SQL). The condition refers to the device id column the caller names, e.g. {@code d.id}.
 */
public final class SelectorSql {

    /** A SQL condition and its parameters, in order. */
    public record Condition(String sql, List<Object> params) {
        public Condition {
            params = Collections.unmodifiableList(new ArrayList<>(params));
        }
    }

    private SelectorSql() {
    }

    /** The condition for {@code selector}; {@code 1=1} for the empty selector. */
    public static Condition where(Selector selector, String deviceIdColumn) {
        if (selector.isEmpty()) {
            return new Condition("1=1", List.of());
        }
        List<String> parts = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        String base = "SELECT 1 FROM device_labels sl WHERE sl.device_id = " + deviceIdColumn + " AND sl.label_key = ?";
        for (Requirement r : selector.requirements()) {
            params.add(r.key());
            if (r instanceof Requirement.Equals eq) {
                parts.add("EXISTS (" + base + " AND sl.label_value = ?)");
                params.add(eq.value());
            } else if (r instanceof Requirement.NotEquals ne) {
                parts.add("NOT EXISTS (" + base + " AND sl.label_value = ?)");
                params.add(ne.value());
            } else if (r instanceof Requirement.In in) {
                parts.add("EXISTS (" + base + " AND sl.label_value IN (" + placeholders(in.values().size()) + "))");
                params.addAll(in.values());
            } else if (r instanceof Requirement.NotIn notIn) {
                parts.add("NOT EXISTS (" + base + " AND sl.label_value IN (" + placeholders(notIn.values().size()) + "))");
                params.addAll(notIn.values());
            } else if (r instanceof Requirement.Exists) {
                parts.add("EXISTS (" + base + ")");
            } else if (r instanceof Requirement.NotExists) {
                parts.add("NOT EXISTS (" + base + ")");
            }
        }
        return new Condition(String.join(" AND ", parts), params);
    }

    private static String placeholders(int n) {
        return String.join(",", Collections.nCopies(n, "?"));
    }
}
