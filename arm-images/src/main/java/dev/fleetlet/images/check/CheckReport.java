package dev.fleetlet.images.check;

import java.util.List;

/** The outcome of {@link ImageChecker#check}: one line per check, in order. */
public record CheckReport(List<Check> checks) {
    /** One named check; {@code detail} says what was found (never a secret). */
    public record Check(String name, boolean passed, String detail) {
        @Override
        public String toString() {
            return (passed ? "ok    " : "FAIL  ") + name + ": " + detail;
        }
    }

    public CheckReport {
        checks = List.copyOf(checks);
    }

    public boolean passed() {
        return checks.stream().allMatch(Check::passed);
    }

    public List<Check> failures() {
        return checks.stream().filter(c -> !c.passed()).toList();
    }

    /** The check called {@code name}; fails when there is none. */
    public Check get(String name) {
        return checks.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no check named " + name));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        checks.forEach(c -> sb.append(c).append('\n'));
        sb.append(passed() ? "image check passed" : "image check FAILED: " + failures().size() + " of " + checks.size());
        return sb.toString();
    }
}
