package dev.fleetlet.drivers.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;

/**
 * A fake {@code /proc} + {@code /sys} tree for the simulated board: CPU temperature (daily cycle plus
 * load), throttling word (0), load average, meminfo and uptime. {@link #refresh()} rewrites the files
 * from the signals at the clock's now; the board-health driver reads them like on a Pi.
 */
public final class SimulatedSysfs {

    private final Path root;
    private final Clock clock;
    private final long bootMillis;
    private final Signal cpuTemp;
    private final Signal load;
    private final Signal memAvailable;

    public SimulatedSysfs(Path root, long seed, Clock clock) {
        this.root = root;
        this.clock = clock;
        this.bootMillis = clock.millis() - 3_600_000L; // "booted an hour ago"
        this.load = Signals.constant(0.6).plus(Signals.smoothNoise(Signals.seed(seed, "load"), 0.4, 120_000));
        this.cpuTemp = Signals.dailyCycle(47.0, 3.0, 15.0).plus(load.scaled(4.0))
                .plus(Signals.whiteNoise(Signals.seed(seed, "cputemp"), 0.3, 1_000));
        this.memAvailable = Signals.constant(2.2e9).plus(Signals.smoothNoise(Signals.seed(seed, "mem"), 2.0e8, 300_000));
        try {
            Files.createDirectories(root.resolve("sys/class/thermal/thermal_zone0"));
            Files.createDirectories(root.resolve("sys/devices/platform/soc/soc:firmware"));
            Files.createDirectories(root.resolve("proc/device-tree"));
            Files.writeString(root.resolve("proc/device-tree/model"), "Fleetlet simulated board\0");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the simulated sysfs tree under " + root, e);
        }
        refresh();
    }

    public Path root() {
        return root;
    }

    /** Rewrites every node from the signals at the clock's now. Errors are left for the driver to see. */
    public void refresh() {
        long t = clock.millis();
        double l = Math.max(0.0, load.at(t));
        write("sys/class/thermal/thermal_zone0/temp", Long.toString(Math.round(cpuTemp.at(t) * 1000)) + "\n");
        write("sys/devices/platform/soc/soc:firmware/get_throttled", "0\n");
        write("proc/loadavg", String.format(Locale.ROOT, "%.2f %.2f %.2f 1/187 %d%n", l, l * 0.9, l * 0.8, 4000 + (t / 1000) % 1000));
        long total = 4_000_000L;
        long avail = Math.round(memAvailable.at(t) / 1024);
        write("proc/meminfo", "MemTotal:       " + total + " kB\nMemFree:        " + (avail / 2) + " kB\nMemAvailable:   "
                + avail + " kB\n");
        double up = (t - bootMillis) / 1000.0;
        write("proc/uptime", String.format(Locale.ROOT, "%.2f %.2f%n", up, up * 3.5));
    }

    private void write(String relative, String content) {
        try {
            Files.write(root.resolve(relative), content.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write simulated node " + relative, e);
        }
    }
}
