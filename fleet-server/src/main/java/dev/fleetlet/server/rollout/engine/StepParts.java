package dev.fleetlet.server.rollout.engine;

import dev.fleetlet.server.desired.Assignment;
import dev.fleetlet.server.rollout.Decision;
import dev.fleetlet.server.rollout.Effect;
import dev.fleetlet.server.rollout.DeviceProgress;
import dev.fleetlet.server.rollout.ProgressStatus;
import dev.fleetlet.server.rollout.RolloutState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the engine cuts one step's writes into transactions, so that a step dispatching thousands of devices
 * commits (and publishes) them {@value #PART_SIZE} at a time: the first devices get their desired state while
 * the next part commits, and no single transaction holds thousands of row locks for seconds.
 */
final class StepParts {

    /** Most dispatches committed (and then published) per transaction of one step. */
    static final int PART_SIZE = 1000;

    private StepParts() {
    }

    /** Device rows and desired-state bumps committed together in one transaction. */
    record Part(List<DeviceProgress> devices, List<Assignment> assignments) {
    }

    /**
     * Splits a step's writes into transactions of at most {@link #PART_SIZE} dispatches. Only a plain dispatch
     * (PENDING to DISPATCHED, or ROLLBACK_PENDING to ROLLING_BACK, with one assignment) may go into a later
     * part: until its part commits the database still shows the device waiting, which is a state the
     * controller dispatches from again after a crash. Everything else (the rollout row, audit, holds,
     * other device changes) goes into the first part.
     */
    static List<Part> split(RolloutState before, Decision d, List<Assignment> assignments) {
        Map<String, Integer> perDevice = new HashMap<>();
        for (Assignment a : assignments) {
            perDevice.merge(a.deviceId(), 1, Integer::sum);
        }
        Map<String, Assignment> deferrable = new LinkedHashMap<>();
        List<DeviceProgress> after = d.state().devices();
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < after.size(); i++) {
            position.put(after.get(i).deviceId(), i);
        }
        for (Assignment a : assignments) {
            Integer i = position.get(a.deviceId());
            if (i == null || perDevice.get(a.deviceId()) != 1 || i >= before.devices().size()) {
                continue;
            }
            ProgressStatus was = before.devices().get(i).status();
            ProgressStatus now = after.get(i).status();
            if ((was == ProgressStatus.PENDING && now == ProgressStatus.DISPATCHED)
                    || (was == ProgressStatus.ROLLBACK_PENDING && now == ProgressStatus.ROLLING_BACK)) {
                deferrable.put(a.deviceId(), a);
            }
        }
        List<DeviceProgress> firstDevices = new ArrayList<>();
        List<Assignment> firstAssignments = new ArrayList<>();
        for (Assignment a : assignments) {
            if (!deferrable.containsKey(a.deviceId())) {
                firstAssignments.add(a);
            }
        }
        List<DeviceProgress> deferredDevices = new ArrayList<>();
        for (int i = 0; i < after.size(); i++) {
            DeviceProgress x = after.get(i);
            if (i < before.devices().size() && x.equals(before.devices().get(i))) {
                continue;
            }
            (deferrable.containsKey(x.deviceId()) ? deferredDevices : firstDevices).add(x);
        }
        List<Part> parts = new ArrayList<>();
        int from = 0;
        int room = Math.max(0, PART_SIZE - firstAssignments.size());
        int take = Math.min(room, deferredDevices.size());
        parts.add(new Part(concat(firstDevices, deferredDevices.subList(0, take)),
                concat(firstAssignments, assignmentsOf(deferredDevices.subList(0, take), deferrable))));
        from = take;
        while (from < deferredDevices.size()) {
            List<DeviceProgress> chunk = deferredDevices.subList(from, Math.min(deferredDevices.size(), from + PART_SIZE));
            parts.add(new Part(List.copyOf(chunk), assignmentsOf(chunk, deferrable)));
            from += chunk.size();
        }
        return parts;
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a.size() + b.size());
        out.addAll(a);
        out.addAll(b);
        return out;
    }

    private static List<Assignment> assignmentsOf(List<DeviceProgress> devices, Map<String, Assignment> byDevice) {
        List<Assignment> out = new ArrayList<>(devices.size());
        for (DeviceProgress x : devices) {
            out.add(byDevice.get(x.deviceId()));
        }
        return out;
    }

    /** The desired-state assignments of a decision's dispatch, rollback and hold effects, in effect order. */
    static List<Assignment> assignments(String id, Decision d) {
        List<Assignment> out = new ArrayList<>();
        for (Effect e : d.effects()) {
            if (e instanceof Effect.DispatchDesired x) {
                out.add(new Assignment(x.deviceId(), x.releaseId(), null, "rollout " + id));
            } else if (e instanceof Effect.DispatchRollback x) {
                out.add(new Assignment(x.deviceId(), x.releaseId(), null, "rollout " + id + " rollback"));
            } else if (e instanceof Effect.Hold x) {
                out.add(new Assignment(x.deviceId(), x.releaseId(), null, "rollout " + id + " hold"));
            }
        }
        return out;
    }
}
