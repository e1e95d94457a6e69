package dev.fleetlet.server.rollout;

import dev.fleetlet.server.rollout.internal.DeviceRules;
import dev.fleetlet.server.rollout.plan.MaintenanceWindow;
import dev.fleetlet.server.rollout.plan.RolloutPlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Mutable working copy of a {@link RolloutState} for one {@link RolloutController#step}: inputs, timers,
 * dispatch and settling, plus the shared helpers (hold, rollback, phase change, audit) that
 * {@link RolloutCommands} and {@link RolloutGates} use. Never outlives one step.
 */
final class RolloutWork {
    final RolloutState in;
    final RolloutPlan plan;
    final List<DeviceProgress> devices;
    final int[] groupStart;
    final List<Effect> effects = new ArrayList<>();
    final List<String> rejected = new ArrayList<>();
    Map<String, Integer> index;
    Phase phase;
    RolloutState.PauseCause pauseCause;
    int group;
    long lastSeq;
    boolean outsideWindow;
    Instant startedAt;
    Instant endedAt;

    RolloutWork(RolloutState s, Instant now) {
        this.in = s;
        this.plan = s.plan();
        this.devices = new ArrayList<>(s.devices());
        this.groupStart = new int[s.groupSizes().size() + 1];
        for (int g = 0; g < s.groupSizes().size(); g++) {
            groupStart[g + 1] = groupStart[g] + s.groupSizes().get(g);
        }
        this.phase = s.phase();
        this.pauseCause = s.pauseCause();
        this.group = s.currentGroup();
        this.lastSeq = s.lastCommandSeq();
        this.outsideWindow = s.outsideWindow();
        this.startedAt = s.startedAt();
        this.endedAt = s.endedAt();
    }

    void applyInputs(Observations input) {
        List<Command> commands = new ArrayList<>(input.commands());
        commands.sort(Comparator.comparingLong(Command::seq));
        List<Observation> reports = new ArrayList<>(input.reports());
        reports.sort(Comparator.comparing(Observation::at));
        int ci = 0;
        for (Observation o : reports) {
            while (ci < commands.size() && commands.get(ci).at().isBefore(o.at())) {
                RolloutCommands.apply(this, commands.get(ci++));
            }
            observe(o);
        }
        while (ci < commands.size()) {
            RolloutCommands.apply(this, commands.get(ci++));
        }
    }
    void observe(Observation o) {
        if (phase == Phase.DRAFT) {
            return;
        }
        if (index == null) {
            index = new HashMap<>(devices.size() * 2);
            for (int i = 0; i < devices.size(); i++) {
                index.put(devices.get(i).deviceId(), i);
            }
        }
        Integer i = index.get(o.deviceId());
        if (i != null) {
            devices.set(i, DeviceRules.observe(devices.get(i), o, plan.soak(), plan.deviceTimeout()));
        }
    }
    /** Holds every dispatched device; returns the audit suffix. */
    String holdAll(Instant at, String why) {
        int held = 0;
        int applying = 0;
        for (int i = 0; i < devices.size(); i++) {
            DeviceProgress d = devices.get(i);
            if (d.status() == ProgressStatus.DISPATCHED) {
                devices.set(i, d.withStatus(ProgressStatus.HELD, "held: rollout " + why));
                effects.add(new Effect.Hold(d.deviceId(), d.previousRelease()));
                held++;
            } else if (d.status() == ProgressStatus.APPLYING || d.status() == ProgressStatus.APPLIED) {
                applying++;
            }
        }
        return "; held " + held + " dispatched devices not yet applying, " + applying
                + " applying left to finish";
    }

    /**
     * Starts rolling back: devices that may run the release become ROLLBACK_PENDING (tracked), dispatched
     * devices are held, and devices whose desired state still names the release although they do not run it
     * (failed, rejected, rolled back locally) are re-pointed at their previous release, untracked: an agent
     * retries a failed release at its next start.
     */
    void startRollback(Instant at, String why) {
        int marked = 0;
        int repointed = 0;
        for (int i = 0; i < devices.size(); i++) {
            DeviceProgress d = devices.get(i);
            ProgressStatus s = d.status();
            if (notRunningButTold(d)) {
                effects.add(new Effect.Hold(d.deviceId(), d.previousRelease()));
                repointed++;
            } else if (s == ProgressStatus.DISPATCHED) {
                devices.set(i, d.withStatus(ProgressStatus.HELD, "held: rollout rolling back"));
                effects.add(new Effect.Hold(d.deviceId(), d.previousRelease()));
            } else if (d.releaseMayRun() && s != ProgressStatus.ROLLING_BACK && s != ProgressStatus.ROLLED_BACK
                    && s != ProgressStatus.ROLLBACK_FAILED && s != ProgressStatus.ROLLBACK_PENDING
                    && s != ProgressStatus.PENDING && s != ProgressStatus.HELD) {
                devices.set(i, d.withStatus(ProgressStatus.ROLLBACK_PENDING, d.reason()));
                marked++;
            }
        }
        audit(at, why + ": " + marked + " devices that may run the release go back to their previous release, "
                + plan.maxConcurrent() + " at a time" + repointedText(repointed));
        pauseCause = null;
        changePhase(Phase.ROLLING_BACK, at);
    }

    /**
     * A device whose attempt ended without the release running (failed, rejected, rolled back locally) while
     * its desired state still names the release.
     */
    static boolean notRunningButTold(DeviceProgress d) {
        return d.status().failure() && !d.releaseMayRun();
    }

    /** Re-points every {@link #notRunningButTold} device at its previous release; returns how many. */
    int repointNotRunning() {
        int n = 0;
        for (DeviceProgress d : devices) {
            if (notRunningButTold(d)) {
                effects.add(new Effect.Hold(d.deviceId(), d.previousRelease()));
                n++;
            }
        }
        return n;
    }

    private static String repointedText(int n) {
        return n == 0 ? "" : "; " + n + " devices that did not apply it are told to run their previous release again";
    }

    void advanceTimers(Instant now) {
        if (phase == Phase.DRAFT) {
            return;
        }
        for (int i = 0; i < devices.size(); i++) {
            DeviceProgress d = devices.get(i);
            DeviceProgress n = DeviceRules.advance(d, now, plan.soak(), plan.deviceTimeout());
            if (n != d) {
                devices.set(i, n);
            }
        }
    }
    void dispatch(Instant now) {
        if (phase == Phase.RUNNING) {
            boolean open = MaintenanceWindow.anyContains(plan.maintenanceWindows(), now);
            if (!open) {
                if (!outsideWindow) {
                    outsideWindow = true;
                    audit(now, "outside maintenance windows: dispatch waits until "
                            + MaintenanceWindow.nextOpening(plan.maintenanceWindows(), now));
                }
                return;
            }
            if (outsideWindow) {
                outsideWindow = false;
                audit(now, "maintenance window open: dispatch resumes");
            }
            int slots = plan.maxConcurrent() - countWhere(true);
            for (int i = groupStart[group]; i < groupStart[group + 1] && slots > 0; i++) {
                DeviceProgress d = devices.get(i);
                if (d.status() == ProgressStatus.PENDING) {
                    devices.set(i, d.dispatched(now, true));
                    effects.add(new Effect.DispatchDesired(d.deviceId(), d.targetRelease()));
                    slots--;
                }
            }
        } else if (phase == Phase.ROLLING_BACK) {
            int slots = plan.maxConcurrent() - count(ProgressStatus.ROLLING_BACK);
            for (int i = 0; i < devices.size() && slots > 0; i++) {
                DeviceProgress d = devices.get(i);
                if (d.status() == ProgressStatus.ROLLBACK_PENDING) {
                    devices.set(i, d.dispatched(now, false));
                    effects.add(new Effect.DispatchRollback(d.deviceId(), d.previousRelease()));
                    slots--;
                }
            }
        }
    }

    void settle(Instant now) {
        if (phase == Phase.ABORTING) {
            for (DeviceProgress d : devices) {
                if (d.status().inFlight() || d.status() == ProgressStatus.HEALTHY) {
                    return;
                }
            }
            int repointed = repointNotRunning();
            audit(now, "abort finished: " + count(ProgressStatus.SUCCEEDED) + " succeeded, " + failures()
                    + " failed, " + (count(ProgressStatus.PENDING) + count(ProgressStatus.HELD))
                    + " not updated" + repointedText(repointed));
            finish(Phase.ABORTED, now);
        } else if (phase == Phase.ROLLING_BACK) {
            if (count(ProgressStatus.ROLLBACK_PENDING) + count(ProgressStatus.ROLLING_BACK) > 0) {
                return;
            }
            int ok = count(ProgressStatus.ROLLED_BACK);
            int bad = count(ProgressStatus.ROLLBACK_FAILED);
            audit(now, "rollback finished: " + ok + "/" + (ok + bad) + " rolled back, " + bad
                    + " failed to roll back");
            finish(Phase.ROLLED_BACK, now);
        }
    }

    int failures() {
        int n = 0;
        for (DeviceProgress d : devices) {
            if (d.status().failure()) {
                n++;
            }
        }
        return n;
    }

    int countWhere(boolean inFlight) {
        int n = 0;
        for (DeviceProgress d : devices) {
            if (d.status().inFlight() == inFlight) {
                n++;
            }
        }
        return n;
    }

    int count(ProgressStatus s) {
        int n = 0;
        for (DeviceProgress d : devices) {
            if (d.status() == s) {
                n++;
            }
        }
        return n;
    }

    String groupSummary() {
        StringBuilder b = new StringBuilder();
        for (int g = 0; g < in.groupSizes().size(); g++) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(plan.groupName(g)).append(' ').append(in.groupSizes().get(g));
        }
        return b.toString();
    }

    void finish(Phase to, Instant at) {
        endedAt = at;
        changePhase(to, at);
    }

    void changePhase(Phase to, Instant at) {
        if (to != phase) {
            effects.add(new Effect.PhaseChanged(phase, to, at));
            phase = to;
        }
        if (to != Phase.PAUSED) {
            pauseCause = null;
        }
    }

    void audit(Instant at, String text) {
        effects.add(new Effect.AuditEntry(at, text));
    }

    Decision decision() {
        RolloutState s = new RolloutState(in.rolloutId(), plan, phase, pauseCause, group, in.groupSizes(),
                devices, lastSeq, outsideWindow, startedAt, endedAt);
        return new Decision(s, effects, rejected);
    }
}
