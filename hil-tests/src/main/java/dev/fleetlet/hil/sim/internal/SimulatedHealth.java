package dev.fleetlet.hil.sim.internal;

import dev.fleetlet.protocol.message.ServiceStatus;
import dev.fleetlet.protocol.message.SystemHealth;
import java.time.Duration;
import java.time.Instant;

/**
 * Board health of a simulated device, deterministic per device index so demos and browser tests see the same
 * picture every run: disks 20-79 % full, 40-64 degrees, 30-79 % memory available; every tenth device from
 * index 1 has a data disk 95 % full, and every tenth from index 2 is under-voltage and throttled (firmware flags
 * 0x50005), so the server shows {@code disk_full}, {@code under_voltage} and {@code throttled} alerts.
 */
public final class SimulatedHealth {

    private static final long GIB = 1024L * 1024 * 1024;

    private SimulatedHealth() {
    }

    /** Whether device {@code index} is one with a nearly full disk. */
    public static boolean diskNearlyFull(int index) {
        return index % 10 == 1;
    }

    /** Whether device {@code index} is one with a weak power supply. */
    public static boolean underVoltage(int index) {
        return index % 10 == 2;
    }

    /** The health device {@code index} reports at {@code now}, booted at {@code bootedAt}. */
    public static SystemHealth of(int index, Instant bootedAt, Instant now) {
        int h = Math.floorMod(index * 7919, 1000);
        long diskTotal = (index % 2 == 0 ? 16 : 32) * GIB;
        double used = diskNearlyFull(index) ? 0.95 : 0.20 + (h % 60) / 100.0;
        long memTotal = (index % 3 == 0 ? 4 : 1) * GIB;
        double available = 0.30 + (h % 50) / 100.0;
        boolean weak = underVoltage(index);
        int flags = weak ? 0x50005 : 0;
        long uptime = Math.max(0, Duration.between(bootedAt, now).toSeconds()) + h * 37L;
        return new SystemHealth((long) (diskTotal * (1 - used)), diskTotal, (long) (memTotal * available), memTotal,
                40.0 + h % 25 + (h % 10) / 10.0, uptime, weak, weak, weak, flags);
    }

    /** A running, healthy service with plausible resource use against a 128 MiB limit. */
    public static ServiceStatus running(int index, String name, String image) {
        int h = Math.floorMod((index + 1) * 31 + name.hashCode(), 100);
        return new ServiceStatus(name, image, "running", "healthy", 0, 0.5 + h / 10.0,
                (20L + h) * 1024 * 1024, 128L * 1024 * 1024, 2 + h % 6);
    }
}
