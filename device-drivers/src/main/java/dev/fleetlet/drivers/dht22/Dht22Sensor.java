package dev.fleetlet.drivers.dht22;

import dev.fleetlet.drivers.Reading;
import dev.fleetlet.drivers.Sensor;
import dev.fleetlet.drivers.i2c.Pause;
import dev.fleetlet.drivers.i2c.StuckValueDetector;
import dev.fleetlet.drivers.sysfs.SysfsFiles;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Driver for a DHT22/AM2302 through the kernel's dht11 IIO driver, never bit-banged: the kernel times
 * the 27 µs / 70 µs pulses in its interrupt handler, which Java cannot.
 *
 * <p>It reads {@code <root>/sys/bus/iio/devices/iio:deviceN/in_temp_input} (milli-°C; this triggers the
 * measurement) and then {@code in_humidityrelative_input} (milli-%RH, served from the same measurement
 * by the kernel's cache). The kernel fails reads regularly with EIO or ETIMEDOUT; the driver retries up
 * to {@link Dht22Config#attempts()} times with {@link Dht22Config#retryBackoff()} in between.
 *
 * <p>The sensor must not be read more often than every 2 s: a sample within
 * {@link Dht22Config#minInterval()} of the previous read returns the last good readings unchanged
 * (their original timestamps), or the last failure when there was no good one, without touching the
 * files. Readings: {@code temperature} (Cel), {@code humidity} (%RH). Failed: missing IIO device or
 * file, read errors after all attempts, unparsable content. Suspect: T outside -40..80 °C, RH outside
 * 0..100 %, or unchanged raw values for {@link Dht22Config#stuckThreshold()} reads.
 */
public final class Dht22Sensor implements Sensor {

    private static final Logger log = LoggerFactory.getLogger(Dht22Sensor.class);
    /**
     * Allowance for one read of the kernel's dht11 driver: the 18 ms start pulse, the sensor's reply
     * and 40 bits (about 25 ms together), rounded up for a loaded board.
     */
    static final Duration ATTEMPT_TIME = Duration.ofMillis(100);

    private final Dht22Config config;
    private final SysfsFiles files;
    private final Path devicesDir;
    private final Clock clock;
    private final Pause pause;
    private final StuckValueDetector stuck;
    private Instant lastRead;
    private List<Reading> lastGood;
    private List<Reading> lastResult;
    private int retries;
    private String lastFailure;

    /**
     * @param config the validated settings
     * @param files  the sysfs port ({@link SysfsFiles#SYSTEM} on a board)
     * @param root   the filesystem root ({@code /} on a board)
     * @param clock  decides the minimum interval and stamps readings
     * @param pause  waits between attempts ({@link Pause#SLEEP} on a board)
     */
    public Dht22Sensor(Dht22Config config, SysfsFiles files, Path root, Clock clock, Pause pause) {
        this.config = Objects.requireNonNull(config, "config");
        this.files = Objects.requireNonNull(files, "files");
        this.devicesDir = Objects.requireNonNull(root, "root").resolve("sys/bus/iio/devices");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pause = Objects.requireNonNull(pause, "pause");
        this.stuck = new StuckValueDetector(config.stuckThreshold());
    }

    @Override
    public String name() {
        return config.name();
    }

    /** Reads retried after EIO/ETIMEDOUT since this driver was created (a health figure). */
    public int retries() {
        return retries;
    }

    /**
     * Worst case of one sample: every attempt failing, {@code attempts × 100 ms + (attempts - 1) ×
     * retry-backoff} (1.3 s with the defaults of 3 attempts and 500 ms).
     */
    @Override
    public Duration expectedReadTime() {
        return ATTEMPT_TIME.multipliedBy(config.attempts()).plus(config.retryBackoff().multipliedBy(config.attempts() - 1L));
    }

    @Override
    public List<Reading> sample() {
        Instant now = clock.instant();
        if (lastRead != null && now.isBefore(lastRead.plus(config.minInterval()))) {
            return lastGood != null ? lastGood : lastResult;
        }
        lastRead = now;
        List<Reading> result;
        try {
            result = read(now);
        } catch (RuntimeException e) {
            result = failed(now, "driver error: " + e);
        }
        lastResult = result;
        if (result.get(0).quality().code().equals("failed")) {
            lastGood = null;
        } else {
            lastGood = result;
        }
        return result;
    }

    private List<Reading> read(Instant now) {
        Path device;
        try {
            device = findDevice();
        } catch (IOException e) {
            return failed(now, "cannot list " + devicesDir + ": " + e.getMessage());
        }
        if (device == null) {
            return failed(now, config.device() == null
                    ? "missing node: no dht11 IIO device under " + devicesDir
                    : "missing node " + devicesDir.resolve(config.device()));
        }
        for (int attempt = 1; ; attempt++) {
            try {
                int milliC = parse(device.resolve("in_temp_input"));
                int milliRh = parse(device.resolve("in_humidityrelative_input"));
                lastFailure = null;
                return judge(now, milliC, milliRh);
            } catch (NoSuchFileException e) {
                return failed(now, "missing node " + e.getFile());
            } catch (NumberFormatException e) {
                return failed(now, "unparsable value: " + e.getMessage());
            } catch (IOException e) {
                if (!retryable(e) || attempt >= config.attempts()) {
                    return failed(now, "read error after " + attempt + (attempt == 1 ? " attempt: " : " attempts: ") + e.getMessage());
                }
                retries++;
                log.debug("retrying sensor read sensor={} attempt={} reason={}", config.name(), attempt, e.getMessage());
                pause.pause(config.retryBackoff());
            }
        }
    }

    private Path findDevice() throws IOException {
        if (config.device() != null) {
            Path dir = devicesDir.resolve(config.device());
            return files.isFile(dir.resolve("in_temp_input")) ? dir : null;
        }
        List<Path> found = new ArrayList<>();
        for (String entry : files.list(devicesDir)) {
            Path nameFile = devicesDir.resolve(entry).resolve("name");
            if (Dht22Config.DEVICE.matcher(entry).matches() && files.isFile(nameFile)
                    && files.read(nameFile).strip().startsWith("dht11")) {
                found.add(devicesDir.resolve(entry));
            }
        }
        found.sort(null);
        return found.isEmpty() ? null : found.get(0);
    }

    private int parse(Path file) throws IOException {
        String text = files.read(file).strip();
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new NumberFormatException(file.getFileName() + " holds '" + text + "'");
        }
    }

    /** EIO and ETIMEDOUT as the JDK reports them from a read(2) on Linux. */
    static boolean retryable(IOException e) {
        String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        return message.contains("input/output error") || message.contains("eio")
                || message.contains("timed out") || message.contains("etimedout");
    }

    private List<Reading> judge(Instant now, int milliC, int milliRh) {
        double celsius = milliC / 1000.0;
        double humidity = milliRh / 1000.0;
        String stuckReason = stuck.observe(((long) milliC << 32) | (milliRh & 0xFFFFFFFFL)) ? stuck.reason() : null;
        return List.of(
                judge(now, "temperature", "Cel", celsius, -40.0, 80.0, stuckReason),
                judge(now, "humidity", "%RH", humidity, 0.0, 100.0, stuckReason));
    }

    private Reading judge(Instant now, String quantity, String unit, double value, double min, double max, String stuckReason) {
        if (!(value >= min && value <= max)) {
            return Reading.suspect(config.name(), quantity, unit, value, now,
                    String.format(Locale.ROOT, "%s %.1f %s outside plausible range %.0f..%.0f", quantity, value, unit, min, max));
        }
        if (stuckReason != null) {
            return Reading.suspect(config.name(), quantity, unit, value, now, stuckReason);
        }
        return Reading.ok(config.name(), quantity, unit, value, now);
    }

    private List<Reading> failed(Instant now, String reason) {
        if (!reason.equals(lastFailure)) {
            log.warn("sensor failed sensor={} reason={}", config.name(), reason);
        }
        lastFailure = reason;
        stuck.reset();
        return List.of(Reading.failed(config.name(), "temperature", "Cel", now, reason),
                Reading.failed(config.name(), "humidity", "%RH", now, reason));
    }
}
