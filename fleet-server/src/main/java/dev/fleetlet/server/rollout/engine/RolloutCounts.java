package dev.fleetlet.server.rollout.engine;

import dev.fleetlet.server.rollout.DeviceProgress;
import dev.fleetlet.server.rollout.RolloutState;
import io.micronaut.serde.annotation.Serdeable;
import java.util.ArrayList;
import java.util.List;

/**
 * Device counts of one group (or of the whole rollout) by what the dashboard shows.
 *
 * @param name        {@code canary}, {@code wave 1}, ... or {@code total}
 * @param devices     devices in the group
 * @param pending     not dispatched yet (PENDING, HELD)
 * @param updating    dispatched and not yet healthy (DISPATCHED, APPLYING, APPLIED)
 * @param soaking     healthy, soak not over (HEALTHY)
 * @param succeeded   healthy for the whole soak (SUCCEEDED)
 * @param failed      FAILED or rolled back locally by the agent
 * @param silent      SILENT: no answer within the device timeout
 * @param rollingBack ROLLBACK_PENDING or ROLLING_BACK
 * @param rolledBack  ROLLED_BACK
 * @param rollbackFailed ROLLBACK_FAILED
 */
@Serdeable
public record RolloutCounts(String name, int devices, int pending, int updating, int soaking, int succeeded, int failed,
                            int silent, int rollingBack, int rolledBack, int rollbackFailed) {

    /** Counts of {@code devices} under {@code name}. */
    public static RolloutCounts of(String name, List<DeviceProgress> devices) {
        int[] c = new int[9];
        for (DeviceProgress d : devices) {
            switch (d.status()) {
                case PENDING, HELD -> c[0]++;
                case DISPATCHED, APPLYING, APPLIED -> c[1]++;
                case HEALTHY -> c[2]++;
                case SUCCEEDED -> c[3]++;
                case FAILED, ROLLED_BACK_LOCALLY -> c[4]++;
                case SILENT -> c[5]++;
                case ROLLBACK_PENDING, ROLLING_BACK -> c[6]++;
                case ROLLED_BACK -> c[7]++;
                case ROLLBACK_FAILED -> c[8]++;
                default -> { }
            }
        }
        return new RolloutCounts(name, devices.size(), c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8]);
    }

    /** Per group, in order. */
    public static List<RolloutCounts> perGroup(RolloutState s) {
        List<RolloutCounts> out = new ArrayList<>();
        for (int g = 0; g < s.groupSizes().size(); g++) {
            out.add(of(s.plan().groupName(g), s.group(g)));
        }
        return out;
    }

    /** Over the whole rollout. */
    public static RolloutCounts total(RolloutState s) {
        return of("total", s.devices());
    }
}
