package dev.fleetlet.server.rollout;

import dev.fleetlet.server.rollout.plan.RolloutPlan;
import dev.fleetlet.server.rollout.plan.WavePlanner;
import dev.fleetlet.server.rollout.plan.WaveAssignment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A fleet rollback: a <em>new</em> rollout that returns the devices a finished rollout changed to their
 * previous release, through the same machinery (canary, waves, gates, windows) with its own plan. Each
 * device's target is its own previous release, so devices that came from different releases each go back to
 * theirs.
 *
 * <p>Affected devices are those that may run the rolled-out release (SUCCEEDED, HEALTHY, ROLLBACK_FAILED
 * flagged {@link DeviceProgress#releaseMayRun()}) and those that were told to run it but did not apply it
 * (FAILED, SILENT, ROLLED_BACK_LOCALLY): their desired state may still name the release, which the agent
 * would retry at its next start, so they are sent their previous release again (a no-op for the agent
 * apart from the new generation). Devices that never received it and devices already rolled back are
 * left out.
 */
public final class FleetRollback {

    private FleetRollback() {
    }

    /** The devices of {@code finished} that a fleet rollback should include. */
    public static List<DeviceProgress> affected(RolloutState finished) {
        List<DeviceProgress> out = new ArrayList<>();
        for (DeviceProgress d : finished.devices()) {
            ProgressStatus s = d.status();
            boolean onRelease = s == ProgressStatus.SUCCEEDED || s == ProgressStatus.HEALTHY || s.failure()
                    || s == ProgressStatus.ROLLBACK_FAILED && d.releaseMayRun();
            if (onRelease) {
                out.add(d);
            }
        }
        return out;
    }

    /**
     * A DRAFT rollout {@code rollbackId} sending the affected devices of {@code finished} back, split by
     * {@code plan} like any rollout.
     *
     * @throws IllegalArgumentException when {@code finished} is not in a final phase
     * @throws dev.fleetlet.server.rollout.plan.InvalidPlanException when {@code plan} is invalid
     */
    public static RolloutState plan(RolloutState finished, String rollbackId, RolloutPlan plan) {
        if (!finished.phase().isFinal()) {
            throw new IllegalArgumentException("rollout " + finished.rolloutId() + " is " + finished.phase()
                    + "; a fleet rollback starts from a finished rollout (abort it first)");
        }
        Map<String, DeviceProgress> byId = new HashMap<>();
        for (DeviceProgress d : affected(finished)) {
            byId.put(d.deviceId(), d);
        }
        WaveAssignment a = WavePlanner.assign(rollbackId, byId.keySet(), plan);
        List<List<RolloutState.PlannedDevice>> groups = new ArrayList<>();
        for (List<String> g : a.groups()) {
            List<RolloutState.PlannedDevice> pg = new ArrayList<>();
            for (String id : g) {
                DeviceProgress d = byId.get(id);
                pg.add(new RolloutState.PlannedDevice(id, d.previousRelease(), d.targetRelease()));
            }
            groups.add(pg);
        }
        return RolloutState.draftOf(rollbackId, plan, groups);
    }
}
