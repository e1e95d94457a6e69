package dev.fleetlet.server.rollout.plan;

import java.time.Duration;
import java.util.List;

/**
 * How long a rollout should take, before it starts.
 *
 * @param fastest            every device applies in the typical apply time and nothing fails
 * @param slowest            every device uses its whole {@code deviceTimeout} (the worst case that still ends)
 * @param groups             the same range per group (canary, waves)
 * @param waitsForWindows    true when maintenance windows are set: time outside windows comes on top
 */
public record Forecast(Duration fastest, Duration slowest, List<GroupForecast> groups, boolean waitsForWindows) {

    public Forecast {
        groups = List.copyOf(groups);
    }

    /**
     * One group's share.
     *
     * @param name    canary or wave n
     * @param devices devices in the group
     * @param batches {@code ceil(devices / maxConcurrent)}: how many rounds of dispatch the group needs
     * @param fastest batches × typical apply time + soak
     * @param slowest batches × device timeout + soak
     */
    public record GroupForecast(String name, int devices, int batches, Duration fastest, Duration slowest) {
    }

    /** {@code 2h10m–6h40m (4 groups)} for logs and the audit entry written at start. */
    public String summary() {
        return Format.duration(fastest) + "–" + Format.duration(slowest) + " (" + groups.size() + " groups"
                + (waitsForWindows ? ", plus waiting for maintenance windows" : "") + ")";
    }
}
