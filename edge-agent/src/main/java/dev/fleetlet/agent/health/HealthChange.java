package dev.fleetlet.agent.health;

import dev.fleetlet.protocol.message.ServiceStatus;
import dev.fleetlet.protocol.message.SystemHealth;
import java.util.List;
import java.util.Objects;

/**
 * Decides whether a new health sample differs enough from the last reported one to be worth a report.
 * Changes that always count: a service added, removed or renamed, its state, health or restart count, its
 * pids, and the power flags. Measurements count when they move by at least: {@value #CPU_POINTS} percentage
 * points of CPU, {@value #MEMORY_FRACTION} of the previous memory use (and at least 1 MiB), one percent of the
 * disk, {@value #MEMORY_FRACTION} of the available memory, or {@value #TEMPERATURE_C} degrees Celsius. Uptime
 * alone never counts.
 */
public final class HealthChange {

    static final double CPU_POINTS = 5.0;
    static final double MEMORY_FRACTION = 0.10;
    static final double DISK_FRACTION = 0.01;
    static final double TEMPERATURE_C = 5.0;
    private static final long MIB = 1024 * 1024;

    private HealthChange() {
    }

    /** True when {@code now} differs noticeably from {@code before}. */
    public static boolean significant(List<ServiceStatus> before, SystemHealth systemBefore,
                                      List<ServiceStatus> now, SystemHealth systemNow) {
        if (before.size() != now.size()) {
            return true;
        }
        for (int i = 0; i < now.size(); i++) {
            if (significant(before.get(i), now.get(i))) {
                return true;
            }
        }
        return significant(systemBefore, systemNow);
    }

    private static boolean significant(ServiceStatus a, ServiceStatus b) {
        if (!a.name().equals(b.name()) || !Objects.equals(a.state(), b.state())
                || !Objects.equals(a.health(), b.health()) || a.restarts() != b.restarts()
                || !Objects.equals(a.pids(), b.pids()) || !Objects.equals(a.image(), b.image())
                || !Objects.equals(a.memoryLimitBytes(), b.memoryLimitBytes())) {
            return true;
        }
        if (moved(a.cpuPercent(), b.cpuPercent(), CPU_POINTS)) {
            return true;
        }
        return movedBytes(a.memoryBytes(), b.memoryBytes());
    }

    private static boolean significant(SystemHealth a, SystemHealth b) {
        if (a == null || b == null) {
            return (a == null) != (b == null);
        }
        if (!Objects.equals(a.underVoltage(), b.underVoltage()) || !Objects.equals(a.throttled(), b.throttled())
                || !Objects.equals(a.underVoltageSinceBoot(), b.underVoltageSinceBoot())
                || !Objects.equals(a.throttleFlags(), b.throttleFlags())) {
            return true;
        }
        Double diskA = a.diskUsedFraction();
        Double diskB = b.diskUsedFraction();
        if (moved(diskA, diskB, DISK_FRACTION)) {
            return true;
        }
        if (movedBytes(a.memoryAvailableBytes(), b.memoryAvailableBytes())) {
            return true;
        }
        return moved(a.cpuTemperatureC(), b.cpuTemperatureC(), TEMPERATURE_C);
    }

    private static boolean moved(Double a, Double b, double threshold) {
        if (a == null || b == null) {
            return (a == null) != (b == null);
        }
        return Math.abs(a - b) >= threshold;
    }

    private static boolean movedBytes(Long a, Long b) {
        if (a == null || b == null) {
            return (a == null) != (b == null);
        }
        long delta = Math.abs(a - b);
        return delta >= MIB && delta >= MEMORY_FRACTION * Math.max(a, 1);
    }
}
