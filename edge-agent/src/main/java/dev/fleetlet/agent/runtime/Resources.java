package dev.fleetlet.agent.runtime;

/**
 * cgroup limits of a container; a null field means "no limit".
 *
 * @param memoryBytes hard memory limit; the kernel OOM-kills inside the container above it
 * @param cpuMillis   CPU quota in thousandths of a CPU (200 = 0.2 CPU), over a 100 ms period
 * @param pidsLimit   maximum number of tasks (processes and threads) in the container
 */
public record Resources(Long memoryBytes, Long cpuMillis, Long pidsLimit) {
    public static final long CPU_PERIOD_MICROS = 100_000;

    public Resources {
        requirePositive("memoryBytes", memoryBytes);
        requirePositive("cpuMillis", cpuMillis);
        requirePositive("pidsLimit", pidsLimit);
        if (memoryBytes != null && memoryBytes < 4L * 1024 * 1024) {
            throw new IllegalArgumentException("resources.memoryBytes must be at least 4 MiB, got " + memoryBytes);
        }
    }

    public static Resources unlimited() {
        return new Resources(null, null, null);
    }

    /** The CFS quota in microseconds per {@link #CPU_PERIOD_MICROS}, or null. */
    public Long cpuQuotaMicros() {
        return cpuMillis == null ? null : cpuMillis * CPU_PERIOD_MICROS / 1000;
    }

    private static void requirePositive(String field, Long value) {
        if (value != null && value <= 0) {
            throw new IllegalArgumentException("resources." + field + " must be > 0, got " + value);
        }
    }
}
