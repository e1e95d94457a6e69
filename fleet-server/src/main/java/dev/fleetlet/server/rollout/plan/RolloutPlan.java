package dev.fleetlet.server.rollout.plan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a release (or a config change: the engine does not tell them apart) is rolled out: an optional
 * canary, then waves, each gated on the health of its devices.
 *
 * <p>Sizes are of all targeted devices (after exclusions), taken in order: the canary first, then each
 * wave; the last wave always takes every device left, and a wave finds nothing left is empty (it passes at
 * once). A device succeeds when it reports the release applied and healthy and stays so for {@code soak};
 * a device that has not reported it applied and healthy within {@code deviceTimeout} of dispatch (or stays
 * offline that long during its soak) counts as failed. See {@code docs/rollouts.md}.
 *
 * @param canary             canary size, or null for no canary
 * @param waves              wave sizes after the canary; at least one
 * @param maxConcurrent      most devices updating at once (dispatched and not yet applied+healthy); ≥ 1
 * @param soak               how long a device must stay healthy after applying; ≥ 0
 * @param deviceTimeout      time from dispatch to "applied and healthy", and longest tolerated silence during soak; &gt; 0
 * @param perWave            failure limit of the current wave
 * @param cumulative         failure limit over every wave started so far
 * @param onBreach           what a breach does
 * @param maintenanceWindows when dispatching is allowed; empty means always
 */
public record RolloutPlan(WaveSize canary, List<WaveSize> waves, int maxConcurrent, Duration soak,
                          Duration deviceTimeout, Threshold perWave, Threshold cumulative, BreachAction onBreach,
                          List<MaintenanceWindow> maintenanceWindows) {

    public RolloutPlan {
        waves = waves == null ? List.of() : List.copyOf(waves);
        maintenanceWindows = maintenanceWindows == null ? List.of() : List.copyOf(maintenanceWindows);
        perWave = perWave == null ? Threshold.NONE : perWave;
        cumulative = cumulative == null ? Threshold.NONE : cumulative;
    }

    /** Every problem of this plan, each naming its field; empty when the plan is usable. */
    public List<PlanProblem> problems() {
        List<PlanProblem> out = new ArrayList<>();
        if (canary != null) {
            String p = canary.problem();
            if (p != null) {
                out.add(new PlanProblem("canary", p));
            }
        }
        if (waves.isEmpty()) {
            out.add(new PlanProblem("waves", "must contain at least one wave"));
        }
        for (int i = 0; i < waves.size(); i++) {
            WaveSize w = waves.get(i);
            String p = w == null ? "must not be null" : w.problem();
            if (p != null) {
                out.add(new PlanProblem("waves[" + i + "]", p));
            }
        }
        if (maxConcurrent < 1) {
            out.add(new PlanProblem("maxConcurrent", "must be ≥ 1, was " + maxConcurrent));
        }
        if (soak == null || soak.isNegative()) {
            out.add(new PlanProblem("soak", soak == null ? "is required" : "must not be negative, was " + soak));
        }
        if (deviceTimeout == null || deviceTimeout.isNegative() || deviceTimeout.isZero()) {
            out.add(new PlanProblem("deviceTimeout", deviceTimeout == null ? "is required"
                    : "must be positive, was " + deviceTimeout));
        }
        perWave.collectProblems("thresholds.perWave", out);
        cumulative.collectProblems("thresholds.cumulative", out);
        if (onBreach == null) {
            out.add(new PlanProblem("onBreach", "is required: PAUSE or ABORT_AND_ROLLBACK"));
        }
        for (int i = 0; i < maintenanceWindows.size(); i++) {
            MaintenanceWindow w = maintenanceWindows.get(i);
            if (w == null) {
                out.add(new PlanProblem("maintenanceWindows[" + i + "]", "must not be null"));
            } else {
                w.collectProblems("maintenanceWindows[" + i + "]", out);
            }
        }
        return out;
    }

    /**
     * Returns this plan when it is valid.
     *
     * @throws InvalidPlanException listing every problem, each naming its field
     */
    public RolloutPlan requireValid() {
        List<PlanProblem> p = problems();
        if (!p.isEmpty()) {
            throw new InvalidPlanException(p);
        }
        return this;
    }

    /** Number of groups the devices are split into: the canary (when set) plus the waves. */
    public int groupCount() {
        return waves.size() + (canary == null ? 0 : 1);
    }

    /** The audit name of group {@code index}: {@code canary}, {@code wave 1}, {@code wave 2}, ... */
    public String groupName(int index) {
        if (canary != null) {
            return index == 0 ? "canary" : "wave " + index;
        }
        return "wave " + (index + 1);
    }
}
