package dev.fleetlet.server.rollout;

import dev.fleetlet.server.rollout.internal.GateText;
import dev.fleetlet.server.rollout.plan.BreachAction;
import java.time.Instant;

/**
 * Gate evaluation of the current group (RUNNING or PAUSED) for one step: a breach of the per-wave or
 * cumulative threshold pauses or aborts-and-rolls-back as the plan says; otherwise, once every device of
 * the group is settled, the rollout moves to the next group or completes.
 */
final class RolloutGates {

    private RolloutGates() {
    }

    static void evaluate(RolloutWork w, Instant now) {
        while (w.phase == Phase.RUNNING || w.phase == Phase.PAUSED) {
            int size = w.groupStart[w.group + 1] - w.groupStart[w.group];
            int failed = 0;
            boolean settled = true;
            for (int i = w.groupStart[w.group]; i < w.groupStart[w.group + 1]; i++) {
                ProgressStatus s = w.devices.get(i).status();
                if (s.failure()) {
                    failed++;
                }
                settled &= s.settled();
            }
            int cumFailed = failed;
            for (int i = 0; i < w.groupStart[w.group]; i++) {
                if (w.devices.get(i).status().failure()) {
                    cumFailed++;
                }
            }
            int cumSize = w.groupStart[w.group + 1];
            boolean breach = w.plan.perWave().breached(failed, size) || w.plan.cumulative().breached(cumFailed, cumSize);
            String text = GateText.of(w.plan.groupName(w.group), failed, size, w.plan.perWave())
                    + cumulativeText(w, cumFailed, cumSize);
            if (breach) {
                if (w.phase == Phase.PAUSED && w.pauseCause == RolloutState.PauseCause.BREACH) {
                    return;
                }
                if (w.plan.onBreach() == BreachAction.PAUSE) {
                    String suffix = w.phase == Phase.RUNNING ? w.holdAll(now, "paused by a breach") : "";
                    w.audit(now, text + " → breach → pause" + suffix);
                    w.pauseCause = RolloutState.PauseCause.BREACH;
                    if (w.phase != Phase.PAUSED) {
                        w.changePhase(Phase.PAUSED, now);
                    }
                } else {
                    w.audit(now, text + " → breach → abort and roll back");
                    w.startRollback(now, "abort after breach");
                }
                return;
            }
            if (w.phase != Phase.RUNNING || !settled) {
                return;
            }
            if (w.group + 1 == w.in.groupSizes().size()) {
                w.audit(now, text + " → rollout completed: " + w.count(ProgressStatus.SUCCEEDED) + "/"
                        + w.devices.size() + " devices succeeded");
                w.finish(Phase.COMPLETED, now);
                return;
            }
            w.group++;
            w.audit(now, text + " → next wave (" + w.plan.groupName(w.group) + ": " + w.in.groupSizes().get(w.group)
                    + " devices)");
        }
    }

    private static String cumulativeText(RolloutWork w, int failed, int size) {
        if (w.plan.cumulative().percent() == null && w.plan.cumulative().count() == null) {
            return "";
        }
        return "; " + GateText.of("cumulative", failed, size, w.plan.cumulative());
    }
}
