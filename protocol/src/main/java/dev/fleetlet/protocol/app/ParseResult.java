package dev.fleetlet.protocol.app;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The outcome of parsing an app spec: a spec and no problems, or no spec and at least one problem.
 *
 * @param spec     the app, or null when there are problems
 * @param problems every problem found, in document order as far as possible
 */
public record ParseResult(AppSpec spec, List<Problem> problems) {

    public ParseResult {
        problems = List.copyOf(problems);
        if ((spec == null) == problems.isEmpty()) {
            throw new IllegalArgumentException("exactly one of spec and problems must be present");
        }
    }

    public boolean isOk() {
        return spec != null;
    }

    /** The spec; throws {@link IllegalArgumentException} listing the problems when there is none. */
    public AppSpec orElseThrow() {
        if (spec == null) {
            throw new IllegalArgumentException("invalid app spec: " + describe());
        }
        return spec;
    }

    /** The problems joined with "; ", or "" when valid. */
    public String describe() {
        return problems.stream().map(Problem::toString).collect(Collectors.joining("; "));
    }
}
