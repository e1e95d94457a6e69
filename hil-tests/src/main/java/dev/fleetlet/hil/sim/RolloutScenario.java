package dev.fleetlet.hil.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetlet.hil.server.FleetAdminClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Helpers shared by the rollout scale test, the rollout benchmark and the demo: compose texts for releases
 * whose images live in a loopback registry, rollout plans as the API expects them, and reading gate lines
 * back out of a rollout's audit log.
 */
public final class RolloutScenario {

    /** A gate line: {@code <group>: <failed>/<total> failed = <pct> % <cmp> <limit> %...}. */
    private static final Pattern GATE = Pattern.compile(
            "^(canary|wave \\d+): (\\d+)/(\\d+) failed = (\\d+\\.\\d{2}) % (<|≤|>) ([0-9.]+) %(.*)$");

    private RolloutScenario() {
    }

    /** One gate decision as read from an audit line. */
    public record Gate(String group, int failed, int total, String percent, String comparison, String rest,
                       String line) {
    }

    /** A one-service compose text named {@code app} running {@code image}. */
    public static String compose(String app, String image) {
        return "name: " + app + "\nservices:\n  web:\n    image: " + image + "\n    restart: always\n";
    }

    /**
     * A plan: canary {@code canaryPercent} % (none when 0), then waves of the given percentages, at most
     * {@code maxConcurrent} devices updating, the soak and device timeout as ISO-8601, a per-wave failure
     * limit in percent (none when null) and the breach action ({@code PAUSE} or {@code ABORT_AND_ROLLBACK}).
     */
    public static Map<String, Object> plan(double canaryPercent, List<Double> wavePercents, int maxConcurrent,
                                           String soak, String deviceTimeout, Double perWavePercent, String onBreach) {
        Map<String, Object> plan = new LinkedHashMap<>();
        if (canaryPercent > 0) {
            plan.put("canary", Map.of("percent", canaryPercent));
        }
        List<Map<String, Object>> waves = new ArrayList<>();
        for (double p : wavePercents) {
            waves.add(Map.of("percent", p));
        }
        plan.put("waves", waves);
        plan.put("maxConcurrent", maxConcurrent);
        plan.put("soak", soak);
        plan.put("deviceTimeout", deviceTimeout);
        if (perWavePercent != null) {
            plan.put("thresholds", Map.of("perWave", Map.of("percent", perWavePercent)));
        }
        plan.put("onBreach", onBreach);
        return plan;
    }

    /** The gate lines of an audit log, in order. */
    public static List<Gate> gates(List<String> audit) {
        List<Gate> out = new ArrayList<>();
        for (String line : audit) {
            Matcher m = GATE.matcher(line);
            if (m.matches()) {
                out.add(new Gate(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), m.group(4),
                        m.group(5), m.group(7), line));
            }
        }
        return out;
    }

    /** {@code 100 × failed / total} with a dot and two decimals, as the audit log writes it. */
    public static String percent(int failed, int total) {
        return String.format(Locale.ROOT, "%.2f", total == 0 ? 0.0 : 100.0 * failed / total);
    }

    /** The group name the API uses for group index {@code g} (0 = canary when the plan has one). */
    public static String groupName(int g, boolean hasCanary) {
        return hasCanary ? (g == 0 ? "canary" : "wave " + g) : "wave " + (g + 1);
    }

    /** The phase of a rollout ({@code RUNNING}, {@code COMPLETED}, ...). */
    public static String phase(FleetAdminClient admin, String rolloutId) {
        JsonNode r = admin.rollout(rolloutId);
        return r.path("phase").asText();
    }
}
