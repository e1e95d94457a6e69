package dev.fleetlet.drivers.health;

import dev.fleetlet.drivers.Reading;
import dev.fleetlet.drivers.Sensor;
import dev.fleetlet.drivers.i2c.StuckValueDetector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The board's own health, from files under an injectable root plus the data directory's filesystem.
 *
 * <p>Readings, in this order: {@code cpu_temperature} (Cel, {@code sys/class/thermal/thermal_zone0/temp}),
 * the throttling word ({@code throttled}, raw) and its eight decoded flags (0/1:
 * {@code under_voltage}, {@code frequency_capped}, {@code throttled_now}, {@code soft_temp_limit},
 * and the same with {@code _occurred}), {@code load_1m}/{@code load_5m}/{@code load_15m}
 * ({@code proc/loadavg}), {@code memory_total}/{@code memory_available} (By) and {@code memory_used}
 * (%, {@code proc/meminfo}), {@code disk_total}/{@code disk_free} (By) and {@code disk_used} (%) of the
 * data directory, {@code uptime} (s, {@code proc/uptime}).
 *
 * <p>Faults never escape: a missing or unreadable node, or an unparsable value, fails only the readings
 * of that node, with the reason; a CPU temperature outside {@code [-40, 125]} °C is suspect, and so is
 * one that has not changed for {@code stuckSamples} samples (the thermal sensor of a live SoC always
 * jitters by a few millidegrees). Each sample reads the files again, so readings recover when the
 * fault clears.
 */
public final class BoardHealthSensor implements Sensor {

    /** Where the throttling word comes from. */
    public enum ThrottledSource { AUTO, SYSFS, VCGENCMD, NONE }

    /**
     * @param name         sensor name
     * @param root         filesystem root for {@code proc} and {@code sys}
     * @param dataDir      directory whose filesystem is reported
     * @param throttled    source of the throttling word; AUTO = sysfs node if present, else vcgencmd
     * @param stuckSamples identical temperatures in a row that make it suspect (0 disables)
     */
    public record Settings(String name, Path root, Path dataDir, ThrottledSource throttled, int stuckSamples) {
    }

    static final double MIN_TEMP = -40.0;
    static final double MAX_TEMP = 125.0;
    private static final String[] FLAG_NAMES = {"under_voltage", "frequency_capped", "throttled_now", "soft_temp_limit",
        "under_voltage_occurred", "frequency_capped_occurred", "throttling_occurred", "soft_temp_limit_occurred"};
    private static final int[] FLAG_BITS = {0x1, 0x2, 0x4, 0x8, 0x10000, 0x20000, 0x40000, 0x80000};

    private final Settings settings;
    private final Clock clock;
    private final CommandRunner commands;
    private final DiskSpace disk;
    private final StuckValueDetector stuck;
    private final Path thermal;
    private final Path throttledNode;
    private final Path loadavg;
    private final Path meminfo;
    private final Path uptime;

    public BoardHealthSensor(Settings settings, Clock clock, CommandRunner commands, DiskSpace disk) {
        this.settings = settings;
        this.clock = clock;
        this.commands = commands;
        this.disk = disk;
        this.stuck = new StuckValueDetector(settings.stuckSamples());
        Path root = settings.root();
        this.thermal = root.resolve("sys/class/thermal/thermal_zone0/temp");
        this.throttledNode = root.resolve("sys/devices/platform/soc/soc:firmware/get_throttled");
        this.loadavg = root.resolve("proc/loadavg");
        this.meminfo = root.resolve("proc/meminfo");
        this.uptime = root.resolve("proc/uptime");
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public List<Reading> sample() {
        Instant at = clock.instant();
        List<Reading> out = new ArrayList<>(20);
        temperature(at, out);
        throttled(at, out);
        load(at, out);
        memory(at, out);
        disk(at, out);
        uptime(at, out);
        return out;
    }

    private void temperature(Instant at, List<Reading> out) {
        String n = settings.name();
        try {
            long milli = ProcFiles.parseLong(ProcFiles.read(thermal), thermal);
            double celsius = milli / 1000.0;
            boolean isStuck = stuck.observe(milli);
            if (celsius < MIN_TEMP || celsius > MAX_TEMP) {
                out.add(Reading.suspect(n, "cpu_temperature", "Cel", celsius, at,
                        "out of range: " + celsius + " Cel outside [-40, 125]"));
            } else if (isStuck) {
                out.add(Reading.suspect(n, "cpu_temperature", "Cel", celsius, at, stuck.reason()));
            } else {
                out.add(Reading.ok(n, "cpu_temperature", "Cel", celsius, at));
            }
        } catch (ProcFiles.Fault f) {
            stuck.reset();
            out.add(Reading.failed(n, "cpu_temperature", "Cel", at, f.getMessage()));
        }
    }

    private void throttled(Instant at, List<Reading> out) {
        String n = settings.name();
        ThrottledFlags flags = null;
        String reason = null;
        try {
            flags = readThrottled();
        } catch (ProcFiles.Fault f) {
            reason = f.getMessage();
        }
        if (flags == null) {
            out.add(Reading.failed(n, "throttled", "1", at, reason));
            for (String flag : FLAG_NAMES) {
                out.add(Reading.failed(n, flag, "1", at, reason));
            }
            return;
        }
        out.add(Reading.ok(n, "throttled", "1", flags.raw(), at));
        for (int i = 0; i < FLAG_NAMES.length; i++) {
            out.add(Reading.ok(n, FLAG_NAMES[i], "1", (flags.raw() & FLAG_BITS[i]) != 0 ? 1.0 : 0.0, at));
        }
    }

    private ThrottledFlags readThrottled() throws ProcFiles.Fault {
        ThrottledSource source = settings.throttled();
        if (source == ThrottledSource.NONE) {
            throw new ProcFiles.Fault("throttling source disabled (options.throttled: none)");
        }
        boolean sysfs = source == ThrottledSource.SYSFS
                || (source == ThrottledSource.AUTO && Files.exists(throttledNode));
        String text;
        String where;
        if (sysfs) {
            text = ProcFiles.read(throttledNode);
            where = throttledNode.toString();
        } else {
            try {
                text = commands.run(List.of("vcgencmd", "get_throttled"), Duration.ofSeconds(2));
            } catch (java.io.IOException | RuntimeException e) {
                throw new ProcFiles.Fault("vcgencmd get_throttled failed: " + e.getMessage());
            }
            where = "vcgencmd output";
        }
        try {
            return ThrottledFlags.parse(text);
        } catch (NumberFormatException e) {
            throw new ProcFiles.Fault("unparsable value '" + ProcFiles.abbreviate(text) + "' in " + where);
        }
    }

    private void load(Instant at, List<Reading> out) {
        String n = settings.name();
        String[] names = {"load_1m", "load_5m", "load_15m"};
        try {
            String[] parts = ProcFiles.read(loadavg).trim().split("\\s+");
            if (parts.length < 3) {
                throw new ProcFiles.Fault("unparsable value '" + String.join(" ", parts) + "' in " + loadavg);
            }
            double[] v = new double[3];
            for (int i = 0; i < 3; i++) {
                v[i] = ProcFiles.parseDouble(parts[i], loadavg);
            }
            for (int i = 0; i < 3; i++) {
                out.add(v[i] < 0 ? Reading.suspect(n, names[i], "1", v[i], at, "negative load average " + v[i])
                        : Reading.ok(n, names[i], "1", v[i], at));
            }
        } catch (ProcFiles.Fault f) {
            for (String q : names) {
                out.add(Reading.failed(n, q, "1", at, f.getMessage()));
            }
        }
    }

    private void memory(Instant at, List<Reading> out) {
        String n = settings.name();
        try {
            String text = ProcFiles.read(meminfo);
            long total = ProcFiles.meminfoBytes(text, "MemTotal", meminfo);
            long available = ProcFiles.meminfoBytes(text, "MemAvailable", meminfo);
            double used = total > 0 ? 100.0 * (total - available) / total : Double.NaN;
            out.add(Reading.ok(n, "memory_total", "By", total, at));
            if (total <= 0 || available < 0 || available > total) {
                String reason = "implausible meminfo: MemAvailable " + available + " of MemTotal " + total;
                out.add(Reading.suspect(n, "memory_available", "By", available, at, reason));
                out.add(Reading.suspect(n, "memory_used", "%", used, at, reason));
            } else {
                out.add(Reading.ok(n, "memory_available", "By", available, at));
                out.add(Reading.ok(n, "memory_used", "%", used, at));
            }
        } catch (ProcFiles.Fault f) {
            out.add(Reading.failed(n, "memory_total", "By", at, f.getMessage()));
            out.add(Reading.failed(n, "memory_available", "By", at, f.getMessage()));
            out.add(Reading.failed(n, "memory_used", "%", at, f.getMessage()));
        }
    }

    private void disk(Instant at, List<Reading> out) {
        String n = settings.name();
        try {
            long[] space = disk.of(settings.dataDir());
            long total = space[0];
            long free = space[1];
            out.add(Reading.ok(n, "disk_total", "By", total, at));
            out.add(Reading.ok(n, "disk_free", "By", free, at));
            out.add(total > 0 ? Reading.ok(n, "disk_used", "%", 100.0 * (total - free) / total, at)
                    : Reading.failed(n, "disk_used", "%", at, "filesystem of " + settings.dataDir() + " reports 0 bytes"));
        } catch (java.io.IOException | RuntimeException e) {
            String reason = "cannot stat filesystem of " + settings.dataDir() + ": " + e.getMessage();
            out.add(Reading.failed(n, "disk_total", "By", at, reason));
            out.add(Reading.failed(n, "disk_free", "By", at, reason));
            out.add(Reading.failed(n, "disk_used", "%", at, reason));
        }
    }

    private void uptime(Instant at, List<Reading> out) {
        String n = settings.name();
        try {
            String text = ProcFiles.read(uptime).trim();
            int space = text.indexOf(' ');
            double seconds = ProcFiles.parseDouble(space < 0 ? text : text.substring(0, space), uptime);
            out.add(seconds < 0 ? Reading.suspect(n, "uptime", "s", seconds, at, "negative uptime " + seconds)
                    : Reading.ok(n, "uptime", "s", seconds, at));
        } catch (ProcFiles.Fault f) {
            out.add(Reading.failed(n, "uptime", "s", at, f.getMessage()));
        }
    }
}
