package dev.fleetlet.server.rollout;

import dev.fleetlet.server.rollout.internal.DeviceRules;
import dev.fleetlet.server.rollout.internal.GateText;
import dev.fleetlet.server.rollout.plan.BreachAction;
import dev.fleetlet.server.rollout.plan.MaintenanceWindow;
import dev.fleetlet.server.rollout.plan.RolloutPlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rollout state machine: {@code step(state, observations, now) → (new state, effects)}. Pure and
 * deterministic: no I/O, no clock, no randomness. The caller (one writer per rollout, under a database
 * lock) persists the returned state and performs the effects; calling {@code step} again with the same
 * observations and the same {@code now} yields no further effects.
 *
 * <p>Order inside one step:
 * <ol>
 *   <li>commands (not seen before) and observations, merged by time (an observation before a command at
 *       the same instant, since it already happened on the device);</li>
 *   <li>timers at {@code now}: deadlines (SILENT), soak completion (SUCCEEDED), rollback deadlines;</li>
 *   <li>gates of the current group (RUNNING or PAUSED): breach → pause or abort-and-rollback; otherwise,
 *       when every device of the group is settled, pass → next group or COMPLETED;</li>
 *   <li>dispatch within {@code maxConcurrent} and the maintenance windows (RUNNING), or rollback dispatch
 *       within {@code maxConcurrent} (ROLLING_BACK, windows ignored: a rollback is urgent);</li>
 *   <li>settling: ABORTING → ABORTED and ROLLING_BACK → ROLLED_BACK when nothing is left in flight.</li>
 * </ol>
 * See {@code docs/rollouts.md} for the semantics in operator terms.
 */
public final class RolloutController {

    private RolloutController() {
    }

    /** One step. {@code state} must come from {@link RolloutState#draft} or an earlier step. */
    public static Decision step(RolloutState state, Observations input, Instant now) {
        if (state.phase().isFinal()) {
            List<String> rejected = new ArrayList<>();
            long seq = state.lastCommandSeq();
            for (Command c : input.commands()) {
                if (c.seq() > seq) {
                    rejected.add(c.kind() + " #" + c.seq() + ": rollout is " + state.phase());
                    seq = Math.max(seq, c.seq());
                }
            }
            RolloutState s = seq == state.lastCommandSeq() ? state : copy(state, state.phase(), state.pauseCause(),
                    state.currentGroup(), state.devices(), seq, state.outsideWindow(), state.endedAt());
            return new Decision(s, List.of(), rejected);
        }
        Work w = new Work(state, now);
        w.applyInputs(input);
        w.advanceTimers(now);
        w.evaluateGates(now);
        w.dispatch(now);
        w.settle(now);
        return w.decision();
    }

    static RolloutState copy(RolloutState s, Phase phase, RolloutState.PauseCause cause, int group,
                             List<DeviceProgress> devices, long seq, boolean outside, Instant endedAt) {
        return new RolloutState(s.rolloutId(), s.plan(), phase, cause, group, s.groupSizes(), devices, seq, outside,
                s.startedAt(), endedAt);
    }

    /** Mutable working copy for one step. */
    private static final class Work {
        private final RolloutState in;
        private final RolloutPlan plan;
        private final List<DeviceProgress> devices;
        private final int[] groupStart;
        private final List<Effect> effects = new ArrayList<>();
        private final List<String> rejected = new ArrayList<>();
        private Map<String, Integer> index;
        private Phase phase;
        private RolloutState.PauseCause pauseCause;
        private int group;
        private long lastSeq;
        private boolean outsideWindow;
        private Instant startedAt;
        private Instant endedAt;

        Work(RolloutState s, Instant now) {
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
                    command(commands.get(ci++));
                }
                observe(o);
            }
            while (ci < commands.size()) {
                command(commands.get(ci++));
            }
        }

        private void observe(Observation o) {
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

        private void command(Command c) {
            if (c.seq() <= lastSeq) {
                return;
            }
            lastSeq = c.seq();
            Instant at = c.at();
            String by = " by " + c.actor();
            switch (c.kind()) {
                case START:
                    if (phase != Phase.DRAFT) {
                        reject(c);
                        return;
                    }
                    startedAt = at;
                    audit(at, "started" + by + ": " + devices.size() + " devices in " + groupSummary());
                    changePhase(Phase.RUNNING, at);
                    return;
                case PAUSE:
                    if (phase != Phase.RUNNING) {
                        reject(c);
                        return;
                    }
                    audit(at, "paused" + by + holdAll(at, "paused"));
                    pauseCause = RolloutState.PauseCause.MANUAL;
                    changePhase(Phase.PAUSED, at);
                    return;
                case RESUME:
                    if (phase != Phase.PAUSED) {
                        reject(c);
                        return;
                    }
                    int released = 0;
                    for (int i = 0; i < devices.size(); i++) {
                        if (devices.get(i).status() == ProgressStatus.HELD) {
                            devices.set(i, devices.get(i).reset());
                            released++;
                        }
                    }
                    audit(at, "resumed" + by + (released > 0 ? ": " + released + " held devices pending again" : ""));
                    pauseCause = null;
                    changePhase(Phase.RUNNING, at);
                    return;
                case ABORT:
                    if (phase == Phase.DRAFT) {
                        audit(at, "aborted" + by + " before start");
                        finish(Phase.ABORTED, at);
                        return;
                    }
                    if (phase != Phase.RUNNING && phase != Phase.PAUSED) {
                        reject(c);
                        return;
                    }
                    audit(at, "aborted" + by + " without rollback" + holdAll(at, "aborted"));
                    pauseCause = null;
                    changePhase(Phase.ABORTING, at);
                    return;
                case ROLLBACK:
                    if (phase != Phase.RUNNING && phase != Phase.PAUSED && phase != Phase.ABORTING) {
                        reject(c);
                        return;
                    }
                    startRollback(at, "rollback requested" + by);
                    return;
                case RETRY_FAILED:
                    if (phase != Phase.RUNNING && phase != Phase.PAUSED) {
                        reject(c);
                        return;
                    }
                    int retried = 0;
                    for (int i = groupStart[group]; i < groupStart[group + 1]; i++) {
                        if (devices.get(i).status().failure()) {
                            devices.set(i, devices.get(i).reset());
                            retried++;
                        }
                    }
                    audit(at, "retry failed" + by + ": " + retried + " failed devices of " + plan.groupName(group)
                            + " back to pending");
                    return;
                default:
                    reject(c);
            }
        }

        private void reject(Command c) {
            rejected.add(c.kind() + " #" + c.seq() + ": not possible while " + phase);
        }

        /** Holds every dispatched device; returns the audit suffix. */
        private String holdAll(Instant at, String why) {
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

        private void startRollback(Instant at, String why) {
            int marked = 0;
            for (int i = 0; i < devices.size(); i++) {
                DeviceProgress d = devices.get(i);
                ProgressStatus s = d.status();
                if (s == ProgressStatus.DISPATCHED) {
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
                    + plan.maxConcurrent() + " at a time");
            pauseCause = null;
            changePhase(Phase.ROLLING_BACK, at);
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

        void evaluateGates(Instant now) {
            while (phase == Phase.RUNNING || phase == Phase.PAUSED) {
                int size = groupStart[group + 1] - groupStart[group];
                int failed = 0;
                boolean settled = true;
                for (int i = groupStart[group]; i < groupStart[group + 1]; i++) {
                    ProgressStatus s = devices.get(i).status();
                    if (s.failure()) {
                        failed++;
                    }
                    settled &= s.settled();
                }
                int cumFailed = failed;
                for (int i = 0; i < groupStart[group]; i++) {
                    if (devices.get(i).status().failure()) {
                        cumFailed++;
                    }
                }
                int cumSize = groupStart[group + 1];
                boolean breach = plan.perWave().breached(failed, size) || plan.cumulative().breached(cumFailed, cumSize);
                String text = GateText.of(plan.groupName(group), failed, size, plan.perWave())
                        + cumulativeText(cumFailed, cumSize);
                if (breach) {
                    if (phase == Phase.PAUSED && pauseCause == RolloutState.PauseCause.BREACH) {
                        return;
                    }
                    if (plan.onBreach() == BreachAction.PAUSE) {
                        String suffix = phase == Phase.RUNNING ? holdAll(now, "paused by a breach") : "";
                        audit(now, text + " → breach → pause" + suffix);
                        pauseCause = RolloutState.PauseCause.BREACH;
                        if (phase != Phase.PAUSED) {
                            changePhase(Phase.PAUSED, now);
                        }
                    } else {
                        audit(now, text + " → breach → abort and roll back");
                        startRollback(now, "abort after breach");
                    }
                    return;
                }
                if (phase != Phase.RUNNING || !settled) {
                    return;
                }
                if (group + 1 == in.groupSizes().size()) {
                    audit(now, text + " → rollout completed: " + count(ProgressStatus.SUCCEEDED) + "/"
                            + devices.size() + " devices succeeded");
                    finish(Phase.COMPLETED, now);
                    return;
                }
                group++;
                audit(now, text + " → next wave (" + plan.groupName(group) + ": " + in.groupSizes().get(group)
                        + " devices)");
            }
        }

        private String cumulativeText(int failed, int size) {
            if (plan.cumulative().percent() == null && plan.cumulative().count() == null) {
                return "";
            }
            return "; " + GateText.of("cumulative", failed, size, plan.cumulative());
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
                audit(now, "abort finished: " + count(ProgressStatus.SUCCEEDED) + " succeeded, " + failures()
                        + " failed, " + (count(ProgressStatus.PENDING) + count(ProgressStatus.HELD))
                        + " not updated");
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

        private int failures() {
            int n = 0;
            for (DeviceProgress d : devices) {
                if (d.status().failure()) {
                    n++;
                }
            }
            return n;
        }

        private int countWhere(boolean inFlight) {
            int n = 0;
            for (DeviceProgress d : devices) {
                if (d.status().inFlight() == inFlight) {
                    n++;
                }
            }
            return n;
        }

        private int count(ProgressStatus s) {
            int n = 0;
            for (DeviceProgress d : devices) {
                if (d.status() == s) {
                    n++;
                }
            }
            return n;
        }

        private String groupSummary() {
            StringBuilder b = new StringBuilder();
            for (int g = 0; g < in.groupSizes().size(); g++) {
                if (b.length() > 0) {
                    b.append(", ");
                }
                b.append(plan.groupName(g)).append(' ').append(in.groupSizes().get(g));
            }
            return b.toString();
        }

        private void finish(Phase to, Instant at) {
            endedAt = at;
            changePhase(to, at);
        }

        private void changePhase(Phase to, Instant at) {
            if (to != phase) {
                effects.add(new Effect.PhaseChanged(phase, to, at));
                phase = to;
            }
            if (to != Phase.PAUSED) {
                pauseCause = null;
            }
        }

        private void audit(Instant at, String text) {
            effects.add(new Effect.AuditEntry(at, text));
        }

        Decision decision() {
            RolloutState s = new RolloutState(in.rolloutId(), plan, phase, pauseCause, group, in.groupSizes(),
                    devices, lastSeq, outsideWindow, startedAt, endedAt);
            return new Decision(s, effects, rejected);
        }
    }
}
