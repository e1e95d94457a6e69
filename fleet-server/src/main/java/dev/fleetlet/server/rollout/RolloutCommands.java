package dev.fleetlet.server.rollout;

import java.time.Instant;

/**
 * Manual commands (start, pause, resume, abort, rollback, retry failed) applied to the working copy of
 * one step. A command already seen (seq not above the last one) is ignored; a command not possible in
 * the current phase is rejected with a reason, never applied partially.
 */
final class RolloutCommands {

    private RolloutCommands() {
    }

    static void apply(RolloutWork w, Command c) {
        if (c.seq() <= w.lastSeq) {
            return;
        }
        w.lastSeq = c.seq();
        Instant at = c.at();
        String by = " by " + c.actor();
        switch (c.kind()) {
            case START:
                if (w.phase != Phase.DRAFT) {
                    reject(w, c);
                    return;
                }
                w.startedAt = at;
                w.audit(at, "started" + by + ": " + w.devices.size() + " devices in " + w.groupSummary());
                w.changePhase(Phase.RUNNING, at);
                return;
            case PAUSE:
                if (w.phase != Phase.RUNNING) {
                    reject(w, c);
                    return;
                }
                w.audit(at, "paused" + by + w.holdAll(at, "paused"));
                w.pauseCause = RolloutState.PauseCause.MANUAL;
                w.changePhase(Phase.PAUSED, at);
                return;
            case RESUME:
                if (w.phase != Phase.PAUSED) {
                    reject(w, c);
                    return;
                }
                int released = 0;
                for (int i = 0; i < w.devices.size(); i++) {
                    if (w.devices.get(i).status() == ProgressStatus.HELD) {
                        w.devices.set(i, w.devices.get(i).reset());
                        released++;
                    }
                }
                w.audit(at, "resumed" + by + (released > 0 ? ": " + released + " held devices pending again" : ""));
                w.pauseCause = null;
                w.changePhase(Phase.RUNNING, at);
                return;
            case ABORT:
                if (w.phase == Phase.DRAFT) {
                    w.audit(at, "aborted" + by + " before start");
                    w.finish(Phase.ABORTED, at);
                    return;
                }
                if (w.phase != Phase.RUNNING && w.phase != Phase.PAUSED) {
                    reject(w, c);
                    return;
                }
                w.audit(at, "aborted" + by + " without rollback" + w.holdAll(at, "aborted"));
                w.pauseCause = null;
                w.changePhase(Phase.ABORTING, at);
                return;
            case ROLLBACK:
                if (w.phase != Phase.RUNNING && w.phase != Phase.PAUSED && w.phase != Phase.ABORTING) {
                    reject(w, c);
                    return;
                }
                w.startRollback(at, "rollback requested" + by);
                return;
            case RETRY_FAILED:
                if (w.phase != Phase.RUNNING && w.phase != Phase.PAUSED) {
                    reject(w, c);
                    return;
                }
                int retried = 0;
                for (int i = w.groupStart[w.group]; i < w.groupStart[w.group + 1]; i++) {
                    if (w.devices.get(i).status().failure()) {
                        w.devices.set(i, w.devices.get(i).reset());
                        retried++;
                    }
                }
                w.audit(at, "retry failed" + by + ": " + retried + " failed devices of " + w.plan.groupName(w.group)
                        + " back to pending");
                return;
            default:
                reject(w, c);
        }
    }

    private static void reject(RolloutWork w, Command c) {
        w.rejected.add(c.kind() + " #" + c.seq() + ": not possible while " + w.phase);
    }
}
