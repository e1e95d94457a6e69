package dev.fleetlet.server.rollout.internal;

import dev.fleetlet.server.device.selector.Requirement;
import dev.fleetlet.server.device.selector.Selector;
import java.util.Map;

/** Renders selector terms back to their text form for explanations. */
public final class SelectorText {

    private SelectorText() {
    }

    /** {@code env=prod}, {@code site in (a,b)}, {@code !beta}, ... */
    public static String of(Requirement r) {
        if (r instanceof Requirement.Equals e) {
            return e.key() + "=" + e.value();
        } else if (r instanceof Requirement.NotEquals n) {
            return n.key() + "!=" + n.value();
        } else if (r instanceof Requirement.In in) {
            return in.key() + " in (" + String.join(",", in.values()) + ")";
        } else if (r instanceof Requirement.NotIn notIn) {
            return notIn.key() + " notin (" + String.join(",", notIn.values()) + ")";
        } else if (r instanceof Requirement.Exists ex) {
            return ex.key();
        } else if (r instanceof Requirement.NotExists nx) {
            return "!" + nx.key();
        }
        return r.toString();
    }

    /** The whole selector as text; {@code (everything)} for the empty one. */
    public static String of(Selector s) {
        if (s.isEmpty()) {
            return "(everything)";
        }
        StringBuilder b = new StringBuilder();
        for (Requirement r : s.requirements()) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(of(r));
        }
        return b.toString();
    }

    /** How the device's label relates to a failing term: {@code env=staging} or {@code env absent}. */
    public static String actual(Requirement r, Map<String, String> labels) {
        String v = labels.get(r.key());
        return v == null ? r.key() + " absent" : r.key() + "=" + v;
    }
}
