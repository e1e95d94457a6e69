package dev.fleetlet.server.rollout;

import dev.fleetlet.server.rollout.plan.RolloutPlan;
import dev.fleetlet.server.rollout.plan.WaveAssignment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the controller needs to decide the next step of one rollout; what the database persists.
 * Immutable.
 *
 * @param rolloutId      rollout id (also seeds the wave spreading)
 * @param plan           the validated plan
 * @param phase          where the rollout is
 * @param pauseCause     why it is paused (null unless {@link Phase#PAUSED})
 * @param currentGroup   index of the group being rolled out (0 = canary when the plan has one)
 * @param groupSizes     devices per group
 * @param devices        every targeted device, ordered by group and, inside a group, in dispatch order
 * @param lastCommandSeq the highest command seq applied (0 = none)
 * @param outsideWindow  true while dispatch waits for a maintenance window (to audit transitions once)
 * @param startedAt      when START was applied, or null
 * @param endedAt        when a final phase was reached, or null
 */
public record RolloutState(String rolloutId, RolloutPlan plan, Phase phase, PauseCause pauseCause, int currentGroup,
                           List<Integer> groupSizes, List<DeviceProgress> devices, long lastCommandSeq,
                           boolean outsideWindow, Instant startedAt, Instant endedAt) {

    /** Why a rollout is paused. */
    public enum PauseCause {
        /** An operator paused it. */
        MANUAL,
        /** A failure threshold was exceeded with {@code onBreach = PAUSE}. */
        BREACH
    }

    /** One device as planned: which release it goes to and which one it comes from. */
    public record PlannedDevice(String deviceId, String targetRelease, String previousRelease) {
    }

    public RolloutState {
        groupSizes = List.copyOf(groupSizes);
        devices = List.copyOf(devices);
        int sum = 0;
        for (int n : groupSizes) {
            sum += n;
        }
        if (sum != devices.size()) {
            throw new IllegalArgumentException("groupSizes add up to " + sum + " but there are " + devices.size()
                    + " devices");
        }
        if (groupSizes.size() != plan.groupCount()) {
            throw new IllegalArgumentException("groupSizes has " + groupSizes.size() + " groups, plan has "
                    + plan.groupCount());
        }
    }

    /**
     * A new rollout in {@link Phase#DRAFT} bringing {@code releaseId} to the devices of {@code assignment};
     * {@code currentReleases} maps device id to the release it runs now (missing = none), kept for rollback.
     */
    public static RolloutState draft(String rolloutId, RolloutPlan plan, WaveAssignment assignment, String releaseId,
                                     Map<String, String> currentReleases) {
        List<List<PlannedDevice>> groups = new ArrayList<>();
        for (List<String> g : assignment.groups()) {
            List<PlannedDevice> pg = new ArrayList<>(g.size());
            for (String id : g) {
                pg.add(new PlannedDevice(id, releaseId, currentReleases.get(id)));
            }
            groups.add(pg);
        }
        return draftOf(rolloutId, plan, groups);
    }

    /** A new rollout in {@link Phase#DRAFT} with a target release per device (used by fleet rollback). */
    public static RolloutState draftOf(String rolloutId, RolloutPlan plan, List<List<PlannedDevice>> groups) {
        plan.requireValid();
        List<Integer> sizes = new ArrayList<>();
        List<DeviceProgress> devices = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int g = 0; g < groups.size(); g++) {
            sizes.add(groups.get(g).size());
            for (PlannedDevice d : groups.get(g)) {
                if (!seen.add(d.deviceId())) {
                    throw new IllegalArgumentException("device " + d.deviceId() + " is planned twice");
                }
                devices.add(DeviceProgress.pending(d.deviceId(), g, d.targetRelease(), d.previousRelease()));
            }
        }
        return new RolloutState(rolloutId, plan, Phase.DRAFT, null, 0, sizes, devices, 0, false, null, null);
    }

    /** Index of the first device of {@code group} in {@link #devices()}. */
    public int groupStart(int group) {
        int start = 0;
        for (int g = 0; g < group; g++) {
            start += groupSizes.get(g);
        }
        return start;
    }

    /** The devices of {@code group}, in dispatch order. */
    public List<DeviceProgress> group(int group) {
        int start = groupStart(group);
        return devices.subList(start, start + groupSizes.get(group));
    }

    /** Number of devices in {@code status}. */
    public int count(ProgressStatus status) {
        int n = 0;
        for (DeviceProgress d : devices) {
            if (d.status() == status) {
                n++;
            }
        }
        return n;
    }

    /** The progress of one device, or null when it is not in this rollout. Linear; for tests and explain. */
    public DeviceProgress device(String deviceId) {
        for (DeviceProgress d : devices) {
            if (d.deviceId().equals(deviceId)) {
                return d;
            }
        }
        return null;
    }
}
