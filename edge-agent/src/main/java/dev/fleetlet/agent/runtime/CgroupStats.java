package dev.fleetlet.agent.runtime;

/**
 * A container's resource usage read from its cgroup. Limits are null when unlimited.
 *
 * @param cpuUsageNanos   total CPU time consumed, nanoseconds
 * @param memoryFailCount times the memory limit was hit (v1 {@code memory.failcnt}; v2 {@code max} events)
 * @param oomKills        processes killed by the OOM killer inside the container
 */
public record CgroupStats(long cpuUsageNanos, long memoryUsageBytes, Long memoryLimitBytes, long memoryFailCount,
                          long oomKills, long pidsCurrent, Long pidsLimit) {
}
