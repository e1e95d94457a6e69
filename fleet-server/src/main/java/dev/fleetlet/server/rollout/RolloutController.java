package dev.fleetlet.server.rollout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
        RolloutWork w = new RolloutWork(state, now);
        w.applyInputs(input);
        w.advanceTimers(now);
        RolloutGates.evaluate(w, now);
        w.dispatch(now);
        w.settle(now);
        return w.decision();
    }

    static RolloutState copy(RolloutState s, Phase phase, RolloutState.PauseCause cause, int group,
                             List<DeviceProgress> devices, long seq, boolean outside, Instant endedAt) {
        return new RolloutState(s.rolloutId(), s.plan(), phase, cause, group, s.groupSizes(), devices, seq, outside,
                s.startedAt(), endedAt);
    }
}
