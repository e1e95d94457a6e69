package dev.fleetlet.drivers.ds18b20;

import dev.fleetlet.drivers.Reading;
import dev.fleetlet.drivers.Sensor;
import dev.fleetlet.drivers.i2c.StuckValueDetector;
import dev.fleetlet.drivers.sysfs.SysfsFiles;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Driver for a DS18B20 read through the kernel's w1_therm driver:
 * {@code <root>/sys/bus/w1/devices/28-xxxxxxxxxxxx/w1_slave}, or the newer {@code temperature} file
 * (millidegrees, one line) when {@code w1_slave} is absent.
 *
 * <p>One reading, {@code temperature} in Cel. Failed: missing device node or file, read error,
 * {@code crc=.. NO}, unparsable content, a sensor that does not answer (-127 °C, or an all-0x00 /
 * all-0xFF scratchpad), no or several DS18B20 when no id is configured. Suspect: 85.0 °C (the
 * power-on value of the scratchpad, read before any conversion finished), outside -55..125 °C,
 * or an unchanged value for {@link Ds18b20Config#stuckThreshold()} samples.
 */
public final class Ds18b20Sensor implements Sensor {

    private static final Logger log = LoggerFactory.getLogger(Ds18b20Sensor.class);
    private static final int POWER_ON_MILLI = 85_000;
    private static final int DISCONNECTED_MILLI = -127_000;
    /** t_CONV of a 12-bit conversion (datasheet maximum), which w1_therm waits inside the sysfs read. */
    static final Duration CONVERSION_TIME = Duration.ofMillis(750);

    private final Ds18b20Config config;
    private final SysfsFiles files;
    private final Ds18b20Discovery discovery;
    private final Clock clock;
    private final StuckValueDetector stuck;
    private String lastFailure;

    /**
     * @param config the validated settings
     * @param files  the sysfs port ({@link SysfsFiles#SYSTEM} on a board)
     * @param root   the filesystem root ({@code /} on a board)
     * @param clock  stamps the readings
     */
    public Ds18b20Sensor(Ds18b20Config config, SysfsFiles files, Path root, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.files = Objects.requireNonNull(files, "files");
        this.discovery = new Ds18b20Discovery(files, root);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.stuck = new StuckValueDetector(config.stuckThreshold());
    }

    @Override
    public String name() {
        return config.name();
    }

    /** 750 ms: reading {@code w1_slave} (or {@code temperature}) blocks for a full 12-bit conversion. */
    @Override
    public Duration expectedReadTime() {
        return CONVERSION_TIME;
    }

    @Override
    public List<Reading> sample() {
        Instant now = clock.instant();
        Reading reading;
        try {
            reading = read(now);
        } catch (NoSuchFileException e) {
            reading = failed(now, "missing node " + e.getFile());
        } catch (IOException e) {
            reading = failed(now, "read error: " + e.getMessage());
        } catch (RuntimeException e) {
            reading = failed(now, "driver error: " + e);
        }
        if (reading.quality().reason() == null) {
            if (lastFailure != null) {
                log.info("sensor recovered sensor={}", config.name());
            }
            lastFailure = null;
        }
        return List.of(reading);
    }

    private Reading read(Instant now) throws IOException {
        String id = config.deviceId();
        if (id == null) {
            List<String> ids = discovery.deviceIds();
            if (ids.size() != 1) {
                return failed(now, ids.isEmpty()
                        ? "no DS18B20 (28-*) under " + discovery.devicesDir()
                        : "several DS18B20 found " + ids + ", configure a device id");
            }
            id = ids.get(0);
        }
        Path node = discovery.devicesDir().resolve(id);
        Path w1Slave = node.resolve("w1_slave");
        Path temperature = node.resolve("temperature");
        int milli;
        if (files.isFile(w1Slave)) {
            W1Slave parsed;
            try {
                parsed = W1Slave.parse(files.read(w1Slave));
            } catch (IllegalArgumentException e) {
                return failed(now, "unreadable w1_slave: " + e.getMessage());
            }
            if (!parsed.crcOk()) {
                return failed(now, "CRC check failed (crc=" + parsed.crc() + " NO)");
            }
            if (parsed.scratchpadAll(0x00) || parsed.scratchpadAll(0xFF)) {
                return failed(now, "sensor not answering (scratchpad all 0x" + (parsed.scratchpadAll(0) ? "00" : "FF") + ")");
            }
            milli = parsed.milliCelsius();
        } else if (files.isFile(temperature)) {
            String text = files.read(temperature).strip();
            try {
                milli = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                return failed(now, "unreadable temperature file: '" + text + "'");
            }
        } else {
            return failed(now, "missing node " + w1Slave);
        }
        return judge(now, milli);
    }

    private Reading judge(Instant now, int milli) {
        double celsius = milli / 1000.0;
        if (milli == DISCONNECTED_MILLI) {
            return failed(now, "sensor disconnected (-127 °C)");
        }
        if (milli == POWER_ON_MILLI) {
            return Reading.suspect(config.name(), "temperature", "Cel", celsius, now, "power-on value 85.0 °C");
        }
        if (celsius < -55.0 || celsius > 125.0) {
            return Reading.suspect(config.name(), "temperature", "Cel", celsius, now,
                    String.format("temperature %.3f Cel outside plausible range -55..125", celsius));
        }
        if (stuck.observe(milli)) {
            return Reading.suspect(config.name(), "temperature", "Cel", celsius, now, stuck.reason());
        }
        return Reading.ok(config.name(), "temperature", "Cel", celsius, now);
    }

    private Reading failed(Instant now, String reason) {
        if (!reason.equals(lastFailure)) {
            log.warn("sensor failed sensor={} reason={}", config.name(), reason);
        }
        lastFailure = reason;
        stuck.reset();
        return Reading.failed(config.name(), "temperature", "Cel", now, reason);
    }
}
