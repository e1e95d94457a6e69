package dev.fleetlet.server.device.selector;

import java.util.List;
import java.util.Map;

/**
 * A parsed label selector: the conjunction of its {@link Requirement}s. The empty selector matches
 * everything. Parse with {@link #parse}; evaluate in memory with {@link #matches} or in SQL with
 * {@link SelectorSql}.
 */
public record Selector(List<Requirement> requirements) {

    public static final Selector ALL = new Selector(List.of());

    public Selector {
        requirements = List.copyOf(requirements);
    }

    /**
     * Parses Kubernetes-style selector text such as {@code env=prod,site in (a,b),!beta,tier!=db,gpu}.
     *
     * @throws SelectorSyntaxException naming the 0-based position of the first error
     */
    public static Selector parse(String text) {
        return new SelectorParser(text == null ? "" : text).parse();
    }

    /** Whether the label set satisfies every requirement. */
    public boolean matches(Map<String, String> labels) {
        for (Requirement r : requirements) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    public boolean isEmpty() {
        return requirements.isEmpty();
    }
}
