package dev.fleetlet.server.rollout;

import dev.fleetlet.server.rollout.plan.BreachAction;
import dev.fleetlet.server.rollout.plan.RolloutPlan;
import dev.fleetlet.server.rollout.plan.Threshold;
import dev.fleetlet.server.rollout.plan.WavePlanner;
import dev.fleetlet.server.rollout.plan.WaveSize;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Test driver: a rollout state, a fake clock and helpers that build observations; keeps all effects and audit lines. */
final class Rig {

    static final Instant T0 = Instant.parse("2025-03-14T10:00:00Z");
    static final String NEW = "app-2.0.0";
    static final String OLD = "app-1.0.0";

    RolloutState state;
    Instant now = T0;
    final List<Effect> effects = new ArrayList<>();
    final List<String> audit = new ArrayList<>();
    final List<String> rejected = new ArrayList<>();
    Decision last;
    private long seq;

    Rig(RolloutPlan plan, int devices) {
        List<String> ids = new ArrayList<>();
        Map<String, String> current = new HashMap<>();
        for (int i = 0; i < devices; i++) {
            String id = String.format("dev-%05d", i);
            ids.add(id);
            current.put(id, OLD);
        }
        state = RolloutState.draft("r1", plan, WavePlanner.assign("r1", ids, plan), NEW, current);
    }

    /** A plan builder with the defaults most tests need: no canary, one wave of everything. */
    static Plan plan() {
        return new Plan();
    }

    static final class Plan {
        WaveSize canary;
        List<WaveSize> waves = List.of(WaveSize.percent(100));
        int maxConcurrent = 1000;
        Duration soak = Duration.ofMinutes(10);
        Duration timeout = Duration.ofMinutes(15);
        Threshold perWave = Threshold.NONE;
        Threshold cumulative = Threshold.NONE;
        BreachAction onBreach = BreachAction.PAUSE;
        List<dev.fleetlet.server.rollout.plan.MaintenanceWindow> windows = List.of();

        Plan canary(WaveSize c) { canary = c; return this; }
        Plan waves(WaveSize... w) { waves = List.of(w); return this; }
        Plan maxConcurrent(int n) { maxConcurrent = n; return this; }
        Plan soak(Duration d) { soak = d; return this; }
        Plan timeout(Duration d) { timeout = d; return this; }
        Plan perWave(Threshold t) { perWave = t; return this; }
        Plan cumulative(Threshold t) { cumulative = t; return this; }
        Plan onBreach(BreachAction a) { onBreach = a; return this; }
        Plan windows(dev.fleetlet.server.rollout.plan.MaintenanceWindow... w) { windows = List.of(w); return this; }

        RolloutPlan build() {
            return new RolloutPlan(canary, waves, maxConcurrent, soak, timeout, perWave, cumulative, onBreach, windows);
        }
    }

    Decision step(Observations obs) {
        last = RolloutController.step(state, obs, now);
        state = last.state();
        effects.addAll(last.effects());
        audit.addAll(last.audit());
        rejected.addAll(last.rejected());
        return last;
    }

    Decision step(Observation... obs) {
        return step(Observations.of(obs));
    }

    Decision command(Command.Kind kind) {
        return step(Observations.commands(new Command(++seq, kind, now, "alice")));
    }

    Rig start() {
        command(Command.Kind.START);
        return this;
    }

    Rig advance(Duration d) {
        now = now.plus(d);
        return this;
    }

    Observation obs(String id, Observation.Kind kind) {
        return new Observation(id, now, kind, NEW, kind == Observation.Kind.FAILED ? "image pull failed" : null);
    }

    Observation healthy(String id) {
        return obs(id, Observation.Kind.HEALTHY);
    }

    /** Observations of {@code kind} for every device currently in {@code status}. */
    List<Observation> all(ProgressStatus status, Observation.Kind kind) {
        List<Observation> out = new ArrayList<>();
        for (DeviceProgress d : state.devices()) {
            if (d.status() == status) {
                out.add(obs(d.deviceId(), kind));
            }
        }
        return out;
    }

    Decision stepAll(List<Observation> obs) {
        return step(new Observations(obs, List.of()));
    }

    /** Ids of devices currently in {@code status}, in state order. */
    List<String> ids(ProgressStatus status) {
        List<String> out = new ArrayList<>();
        for (DeviceProgress d : state.devices()) {
            if (d.status() == status) {
                out.add(d.deviceId());
            }
        }
        return out;
    }

    int count(ProgressStatus s) {
        return state.count(s);
    }

    int inFlight() {
        int n = 0;
        for (DeviceProgress d : state.devices()) {
            if (d.status().inFlight()) {
                n++;
            }
        }
        return n;
    }

    <T extends Effect> List<T> lastEffects(Class<T> type) {
        return last.effects(type);
    }
}
