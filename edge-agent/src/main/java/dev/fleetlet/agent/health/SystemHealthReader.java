package dev.fleetlet.agent.health;

import dev.fleetlet.protocol.message.SystemHealth;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the board's health for the reported state's {@code system} object from kernel files under an
 * injected filesystem root ({@code /} on a device, a fixture tree in tests):
 * <ul>
 *   <li>{@code proc/meminfo}: {@code MemAvailable} and {@code MemTotal};</li>
 *   <li>{@code sys/class/thermal/thermal_zone0/temp}: millidegrees Celsius;</li>
 *   <li>{@code proc/uptime}: seconds since boot;</li>
 *   <li>{@code sys/class/hwmon/*}: the hwmon whose {@code name} is {@code rpi_volt} (Debian's kernel,
 *       raspberrypi-hwmon) gives under-voltage now from {@code in0_lcrit_alarm};</li>
 *   <li>{@code sys/devices/platform/soc/soc:firmware/get_throttled} (the Raspberry Pi kernel): the
 *       firmware's hexadecimal throttle bit field, which also says throttled and under-voltage since boot.</li>
 * </ul>
 * Disk space is that of the filesystem holding the data directory. A file that is missing or unreadable
 * leaves its fields null (the field is then left out of the report); reading never throws.
 */
public final class SystemHealthReader {

    private static final Logger log = LoggerFactory.getLogger(SystemHealthReader.class);

    private final Path fsRoot;
    private final Path dataDir;

    /**
     * @param fsRoot  root under which {@code proc} and {@code sys} are read
     * @param dataDir the agent's data directory; its filesystem's free and total bytes are reported
     */
    public SystemHealthReader(Path fsRoot, Path dataDir) {
        this.fsRoot = fsRoot;
        this.dataDir = dataDir;
    }

    /** A fresh reading; fields whose source is absent are null. */
    public SystemHealth read() {
        Long diskFree = null;
        Long diskTotal = null;
        try {
            FileStore store = Files.getFileStore(dataDir);
            diskFree = store.getUsableSpace();
            diskTotal = store.getTotalSpace();
        } catch (IOException | RuntimeException e) {
            log.debug("disk space not readable dataDir={} error={}", dataDir, e.toString());
        }
        Long memAvailable = meminfo("MemAvailable");
        Long memTotal = meminfo("MemTotal");
        Double temperature = text("sys/class/thermal/thermal_zone0/temp")
                .map(SystemHealthReader::parseLong).map(milli -> milli == null ? null : milli / 1000.0)
                .orElse(null);
        Long uptime = text("proc/uptime").map(t -> {
            try {
                return (long) Double.parseDouble(t.split("\\s+")[0]);
            } catch (NumberFormatException e) {
                return null;
            }
        }).orElse(null);
        Integer flags = text("sys/devices/platform/soc/soc:firmware/get_throttled")
                .map(SystemHealthReader::parseFlags).orElse(null);
        Boolean hwmonUnderVoltage = hwmonUnderVoltage();
        Boolean underVoltage = hwmonUnderVoltage;
        Boolean throttled = null;
        Boolean underVoltageSinceBoot = null;
        if (flags != null) {
            boolean fwUnder = (flags & SystemHealth.FLAG_UNDER_VOLTAGE) != 0;
            underVoltage = fwUnder || Boolean.TRUE.equals(hwmonUnderVoltage);
            throttled = (flags & (SystemHealth.FLAG_THROTTLED | SystemHealth.FLAG_FREQUENCY_CAPPED)) != 0;
            underVoltageSinceBoot = (flags & SystemHealth.FLAG_UNDER_VOLTAGE_OCCURRED) != 0;
        }
        return new SystemHealth(diskFree, diskTotal, memAvailable, memTotal, temperature, uptime, underVoltage,
                throttled, underVoltageSinceBoot, flags);
    }

    private Long meminfo(String key) {
        return text("proc/meminfo").flatMap(t -> t.lines()
                .filter(l -> l.startsWith(key + ":"))
                .findFirst()
                .map(l -> {
                    String[] parts = l.substring(key.length() + 1).strip().split("\\s+");
                    Long value = parseLong(parts[0]);
                    if (value == null) {
                        return null;
                    }
                    return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? value * 1024 : value;
                })).orElse(null);
    }

    private Boolean hwmonUnderVoltage() {
        Path hwmon = fsRoot.resolve("sys/class/hwmon");
        if (!Files.isDirectory(hwmon)) {
            return null;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(hwmon)) {
            for (Path dir : dirs) {
                Optional<String> name = read(dir.resolve("name"));
                if (name.isPresent() && name.get().equals("rpi_volt")) {
                    return read(dir.resolve("in0_lcrit_alarm")).map(SystemHealthReader::parseLong)
                            .map(v -> v != 0).orElse(null);
                }
            }
        } catch (IOException | RuntimeException e) {
            log.debug("hwmon not readable error={}", e.toString());
        }
        return null;
    }

    private Optional<String> text(String relative) {
        return read(fsRoot.resolve(relative));
    }

    private static Optional<String> read(Path file) {
        try {
            return Files.isReadable(file) ? Optional.of(Files.readString(file).strip()) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Long parseLong(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code throttled=0x50005} (vcgencmd style), {@code 0x50005} or plain hexadecimal {@code 50005}. */
    static Integer parseFlags(String s) {
        String t = s.strip();
        int eq = t.indexOf('=');
        if (eq >= 0) {
            t = t.substring(eq + 1);
        }
        if (t.startsWith("0x") || t.startsWith("0X")) {
            t = t.substring(2);
        }
        try {
            long v = Long.parseLong(t, 16);
            return v >= 0 && v <= Integer.MAX_VALUE ? (int) v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
