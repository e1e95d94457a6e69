package dev.fleetlet.server.rollout.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetlet.server.rollout.plan.BreachAction;
import dev.fleetlet.server.rollout.plan.MaintenanceWindow;
import dev.fleetlet.server.rollout.plan.PlanProblem;
import dev.fleetlet.server.rollout.plan.RolloutPlan;
import dev.fleetlet.server.rollout.plan.Threshold;
import dev.fleetlet.server.rollout.plan.WaveSize;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The JSON form of a {@link RolloutPlan}, used by the REST API and for storage:
 * <pre>{@code
 * {"canary": {"count": 1}, "waves": [{"percent": 25}, {"percent": 100}], "maxConcurrent": 50,
 *  "soak": "PT10M", "deviceTimeout": "PT15M",
 *  "thresholds": {"perWave": {"percent": 2, "count": 10}, "cumulative": {"percent": 1}},
 *  "onBreach": "PAUSE",
 *  "maintenanceWindows": [{"days": ["SATURDAY"], "start": "22:00", "end": "04:00", "zone": "Europe/Berlin"}]}
 * }</pre>
 * Durations are ISO-8601 ({@code PT10M}) or a number of seconds. Reading collects every problem, each with
 * its field path ({@code plan.waves[1]}), together with {@link RolloutPlan#problems()}.
 */
public final class PlanJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A parsed plan, or the problems that kept it from being one. */
    public record Parsed(RolloutPlan plan, List<PlanProblem> problems) {
        public Parsed {
            problems = List.copyOf(problems);
        }
    }

    private PlanJson() {
    }

    /** Reads a plan; {@code prefix} is put before field names ({@code plan.}). */
    public static Parsed read(JsonNode n, String prefix) {
        List<PlanProblem> problems = new ArrayList<>();
        if (n == null || !n.isObject()) {
            problems.add(new PlanProblem(prefix.isEmpty() ? "plan" : prefix.substring(0, prefix.length() - 1), "must be an object"));
            return new Parsed(null, problems);
        }
        WaveSize canary = n.hasNonNull("canary") ? size(n.get("canary"), prefix + "canary", problems) : null;
        List<WaveSize> waves = new ArrayList<>();
        JsonNode w = n.get("waves");
        if (w != null && w.isArray()) {
            for (int i = 0; i < w.size(); i++) {
                waves.add(size(w.get(i), prefix + "waves[" + i + "]", problems));
            }
        } else if (w != null && !w.isNull()) {
            problems.add(new PlanProblem(prefix + "waves", "must be an array"));
        }
        int maxConcurrent = n.hasNonNull("maxConcurrent") ? n.get("maxConcurrent").asInt(0) : 0;
        if (n.hasNonNull("maxConcurrent") && !n.get("maxConcurrent").canConvertToInt()) {
            problems.add(new PlanProblem(prefix + "maxConcurrent", "must be a whole number"));
        }
        Duration soak = duration(n.get("soak"), prefix + "soak", problems);
        Duration timeout = duration(n.get("deviceTimeout"), prefix + "deviceTimeout", problems);
        JsonNode t = n.path("thresholds");
        Threshold perWave = threshold(t.get("perWave"), prefix + "thresholds.perWave", problems);
        Threshold cumulative = threshold(t.get("cumulative"), prefix + "thresholds.cumulative", problems);
        BreachAction onBreach = null;
        if (n.hasNonNull("onBreach")) {
            try {
                onBreach = BreachAction.valueOf(n.get("onBreach").asText().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add(new PlanProblem(prefix + "onBreach", "must be PAUSE or ABORT_AND_ROLLBACK, was '"
                        + n.get("onBreach").asText() + "'"));
            }
        }
        List<MaintenanceWindow> windows = new ArrayList<>();
        JsonNode mw = n.get("maintenanceWindows");
        if (mw != null && mw.isArray()) {
            for (int i = 0; i < mw.size(); i++) {
                MaintenanceWindow win = window(mw.get(i), prefix + "maintenanceWindows[" + i + "]", problems);
                if (win != null) {
                    windows.add(win);
                }
            }
        }
        RolloutPlan plan = new RolloutPlan(canary, waves, maxConcurrent, soak, timeout, perWave, cumulative, onBreach, windows);
        int parseProblems = problems.size();
        for (PlanProblem p : plan.problems()) {
            String field = prefix + p.field();
            boolean dup = false;
            for (int i = 0; i < parseProblems; i++) {
                dup |= problems.get(i).field().equals(field);
            }
            if (!dup) {
                problems.add(new PlanProblem(field, p.message()));
            }
        }
        return new Parsed(problems.isEmpty() ? plan : null, problems);
    }

    /** Reads a stored plan. @throws IllegalStateException when it is not a valid plan */
    public static RolloutPlan read(String json) {
        try {
            Parsed p = read(JSON.readTree(json), "");
            if (p.plan() == null) {
                throw new IllegalStateException("stored plan is invalid: " + p.problems());
            }
            return p.plan();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored plan is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The JSON tree of a plan (the same form {@link #read} takes). */
    public static ObjectNode tree(RolloutPlan p) {
        ObjectNode n = JSON.createObjectNode();
        if (p.canary() != null) {
            n.set("canary", size(p.canary()));
        }
        ArrayNode waves = n.putArray("waves");
        p.waves().forEach(w -> waves.add(size(w)));
        n.put("maxConcurrent", p.maxConcurrent());
        n.put("soak", p.soak().toString());
        n.put("deviceTimeout", p.deviceTimeout().toString());
        ObjectNode t = n.putObject("thresholds");
        t.set("perWave", threshold(p.perWave()));
        t.set("cumulative", threshold(p.cumulative()));
        n.put("onBreach", p.onBreach().name());
        ArrayNode mw = n.putArray("maintenanceWindows");
        for (MaintenanceWindow w : p.maintenanceWindows()) {
            ObjectNode o = mw.addObject();
            ArrayNode days = o.putArray("days");
            EnumSet.copyOf(w.days()).forEach(d -> days.add(d.name()));
            o.put("start", w.start().toString());
            o.put("end", w.end().toString());
            o.put("zone", w.zone().getId());
        }
        return n;
    }

    /** The JSON text of a plan. */
    public static String write(RolloutPlan p) {
        return tree(p).toString();
    }

    private static ObjectNode size(WaveSize s) {
        ObjectNode o = JSON.createObjectNode();
        if (s.kind() == WaveSize.Kind.COUNT) {
            o.put("count", (long) s.value());
        } else {
            o.put("percent", s.value());
        }
        return o;
    }

    private static ObjectNode threshold(Threshold t) {
        ObjectNode o = JSON.createObjectNode();
        if (t.percent() != null) {
            o.put("percent", t.percent());
        }
        if (t.count() != null) {
            o.put("count", t.count());
        }
        return o;
    }

    private static WaveSize size(JsonNode n, String field, List<PlanProblem> problems) {
        if (n != null && n.isObject() && n.size() == 1 && n.get("count") != null && n.get("count").isNumber()) {
            return new WaveSize(WaveSize.Kind.COUNT, n.get("count").asDouble());
        }
        if (n != null && n.isObject() && n.size() == 1 && n.get("percent") != null && n.get("percent").isNumber()) {
            return new WaveSize(WaveSize.Kind.PERCENT, n.get("percent").asDouble());
        }
        problems.add(new PlanProblem(field, "must be {\"count\": n} or {\"percent\": p}"));
        return WaveSize.count(1);
    }

    private static Threshold threshold(JsonNode n, String field, List<PlanProblem> problems) {
        if (n == null || n.isNull()) {
            return Threshold.NONE;
        }
        if (!n.isObject()) {
            problems.add(new PlanProblem(field, "must be an object with percent and/or count"));
            return Threshold.NONE;
        }
        Double percent = null;
        Integer count = null;
        if (n.hasNonNull("percent")) {
            if (n.get("percent").isNumber()) {
                percent = n.get("percent").asDouble();
            } else {
                problems.add(new PlanProblem(field + ".percent", "must be a number"));
            }
        }
        if (n.hasNonNull("count")) {
            if (n.get("count").canConvertToInt() && n.get("count").isIntegralNumber()) {
                count = n.get("count").asInt();
            } else {
                problems.add(new PlanProblem(field + ".count", "must be a whole number"));
            }
        }
        return new Threshold(percent, count);
    }

    private static Duration duration(JsonNode n, String field, List<PlanProblem> problems) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isNumber()) {
            return Duration.ofMillis(Math.round(n.asDouble() * 1000));
        }
        try {
            return Duration.parse(n.asText());
        } catch (RuntimeException e) {
            problems.add(new PlanProblem(field, "must be an ISO-8601 duration like PT10M or a number of seconds, was '"
                    + n.asText() + "'"));
            return Duration.ZERO;
        }
    }

    private static MaintenanceWindow window(JsonNode n, String field, List<PlanProblem> problems) {
        if (n == null || !n.isObject()) {
            problems.add(new PlanProblem(field, "must be an object with days, start, end, zone"));
            return null;
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        JsonNode d = n.get("days");
        if (d == null || d.isNull()) {
            days = EnumSet.allOf(DayOfWeek.class);
        } else if (d.isArray()) {
            for (JsonNode day : d) {
                try {
                    days.add(DayOfWeek.valueOf(day.asText().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    problems.add(new PlanProblem(field + ".days", "'" + day.asText() + "' is not a day (MONDAY..SUNDAY)"));
                }
            }
        } else {
            problems.add(new PlanProblem(field + ".days", "must be an array of days"));
        }
        LocalTime start = time(n.get("start"), field + ".start", problems);
        LocalTime end = time(n.get("end"), field + ".end", problems);
        ZoneId zone = ZoneId.of("UTC");
        if (n.hasNonNull("zone")) {
            try {
                zone = ZoneId.of(n.get("zone").asText());
            } catch (RuntimeException e) {
                problems.add(new PlanProblem(field + ".zone", "unknown time zone '" + n.get("zone").asText() + "'"));
            }
        }
        return start == null || end == null ? null : new MaintenanceWindow(days, start, end, zone);
    }

    private static LocalTime time(JsonNode n, String field, List<PlanProblem> problems) {
        if (n == null || n.isNull()) {
            problems.add(new PlanProblem(field, "is required (HH:MM)"));
            return null;
        }
        try {
            return LocalTime.parse(n.asText());
        } catch (RuntimeException e) {
            problems.add(new PlanProblem(field, "must be a time HH:MM, was '" + n.asText() + "'"));
            return null;
        }
    }
}
