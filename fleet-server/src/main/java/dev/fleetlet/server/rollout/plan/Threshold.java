package dev.fleetlet.server.rollout.plan;

/**
 * How many failures a group of devices (one wave, or all waves started so far) may have. Either limit may
 * be absent (null); when both are absent the threshold never breaches.
 *
 * <p>Semantics: a limit is the largest <em>tolerated</em> value. The threshold is breached when
 * {@code failed / devices × 100 > percent} <b>or</b> {@code failed > count} (strictly greater: with
 * {@code percent = 2}, 2 failures out of 100 pass and 3 breach; with {@code count = 0}, the first failure
 * breaches). The denominator is the number of devices in the group, not the number finished, so a
 * breach found in the middle of a wave is already certain for its end.
 *
 * @param percent the largest tolerated failure rate in percent (0..100), or null
 * @param count   the largest tolerated number of failed devices (≥ 0), or null
 */
public record Threshold(Double percent, Integer count) {

    /** No limit at all. */
    public static final Threshold NONE = new Threshold(null, null);

    public static Threshold percent(double percent) {
        return new Threshold(percent, null);
    }

    public static Threshold count(int count) {
        return new Threshold(null, count);
    }

    public static Threshold of(double percent, int count) {
        return new Threshold(percent, count);
    }

    /** Whether {@code failed} out of {@code devices} exceeds the percent limit (exact arithmetic). */
    public boolean percentBreached(int failed, int devices) {
        if (percent == null || devices <= 0) {
            return false;
        }
        // failed * 100 > percent * devices, compared exactly
        return java.math.BigDecimal.valueOf(failed).movePointRight(2)
                .compareTo(java.math.BigDecimal.valueOf(percent).multiply(java.math.BigDecimal.valueOf(devices))) > 0;
    }

    /** Whether the failure rate equals the percent limit exactly (shown as {@code ≤} in the audit log). */
    public boolean percentEqual(int failed, int devices) {
        if (percent == null || devices <= 0) {
            return false;
        }
        return java.math.BigDecimal.valueOf(failed).movePointRight(2)
                .compareTo(java.math.BigDecimal.valueOf(percent).multiply(java.math.BigDecimal.valueOf(devices))) == 0;
    }

    /** Whether {@code failed} exceeds the count limit. */
    public boolean countBreached(int failed) {
        return count != null && failed > count;
    }

    /** Whether either limit is exceeded. */
    public boolean breached(int failed, int devices) {
        return percentBreached(failed, devices) || countBreached(failed);
    }

    void collectProblems(String field, java.util.List<PlanProblem> out) {
        if (percent != null && (percent.isNaN() || percent < 0 || percent > 100)) {
            out.add(new PlanProblem(field + ".percent", "must be between 0 and 100, was " + Format.number(percent)));
        }
        if (count != null && count < 0) {
            out.add(new PlanProblem(field + ".count", "must be ≥ 0, was " + count));
        }
    }
}
