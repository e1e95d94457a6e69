package dev.fleetlet.protocol.message;

/**
 * One service (container) of the running release.
 *
 * @param name          service name from the app spec
 * @param image         image reference pinned by digest
 * @param state         {@code created}, {@code running}, {@code restarting}, {@code exited}, {@code stopped}
 * @param health        {@code none}, {@code starting}, {@code healthy}, {@code unhealthy}
 * @param restarts      restarts since the release started
 * @param cpuPercent    CPU use over the last period, percent of one core, or null
 * @param memoryBytes   memory in use, or null
 * @param memoryLimitBytes memory limit, or null when unlimited
 * @param pids          processes in the container, or null
 */
public record ServiceStatus(String name, String image, String state, String health, int restarts, Double cpuPercent,
                            Long memoryBytes, Long memoryLimitBytes, Integer pids) {
}
