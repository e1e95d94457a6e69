package dev.fleetlet.drivers.sht3x;

import dev.fleetlet.drivers.Reading;
import dev.fleetlet.drivers.Sensor;
import dev.fleetlet.drivers.i2c.I2cDevice;
import dev.fleetlet.drivers.i2c.Pause;
import dev.fleetlet.drivers.i2c.StuckValueDetector;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Driver for a Sensirion SHT3x in single-shot mode without clock stretching.
 *
 * <p>On the first sample and after any failure it soft-resets the chip (0x30A2) and reads the status
 * register (0xF32D): the chip has no id register, so a status word with a valid CRC is the identity
 * check. Each sample sends the measurement command of the configured repeatability (e.g. 0x2400),
 * waits the datasheet's maximum duration, and reads six bytes: T word, CRC, RH word, CRC. While the
 * chip is still measuring it NACKs the read; the driver retries the read twice, 2 ms apart.
 *
 * <p>T = -45 + 175·raw/65535 °C, RH = 100·raw/65535 %RH. Failed: bus error, a CRC mismatch on any
 * word (reason names the word, the received and the computed CRC). Suspect: temperature outside
 * the sensor's -40..125 °C, or raw words unchanged for {@link Sht3xConfig#stuckThreshold()} samples.
 */
public final class Sht3xSensor implements Sensor {

    /** Soft reset command. */
    public static final int CMD_SOFT_RESET = 0x30A2;
    /** Read status register command. */
    public static final int CMD_READ_STATUS = 0xF32D;
    /** Clear status register command. */
    public static final int CMD_CLEAR_STATUS = 0x3041;
    private static final Duration RESET_TIME = Duration.ofMillis(2);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(2);
    private static final int READ_ATTEMPTS = 3;
    private static final Logger log = LoggerFactory.getLogger(Sht3xSensor.class);

    private final Sht3xConfig config;
    private final I2cDevice device;
    private final Clock clock;
    private final Pause pause;
    private final StuckValueDetector stuck;
    private boolean initialised;
    private int lastStatus = -1;
    private String lastFailure;

    public Sht3xSensor(Sht3xConfig config, I2cDevice device, Clock clock, Pause pause) {
        this.config = Objects.requireNonNull(config, "config");
        this.device = Objects.requireNonNull(device, "device");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pause = Objects.requireNonNull(pause, "pause");
        this.stuck = new StuckValueDetector(config.stuckThreshold());
    }

    /** The driver for a board: real sleeping while the chip measures. */
    public static Sht3xSensor create(Sht3xConfig config, I2cDevice device, Clock clock) {
        return new Sht3xSensor(config, device, clock, Pause.SLEEP);
    }

    @Override
    public String name() {
        return config.name();
    }

    /** The status word read at the last initialisation, or -1 before one succeeded. */
    public int lastStatus() {
        return lastStatus;
    }

    @Override
    public List<Reading> sample() {
        Instant now = clock.instant();
        try {
            if (!initialised) {
                initialise();
            }
            command(config.repeatability().command());
            pause.pause(config.repeatability().maxDuration());
            byte[] data = readWithRetry(6);
            int t = word(data, 0, "temperature");
            int rh = word(data, 3, "humidity");
            lastFailure = null;
            return judge(now, t, rh);
        } catch (IOException e) {
            return fail(now, "bus error: " + e.getMessage());
        } catch (CrcMismatch e) {
            return fail(now, e.getMessage());
        } catch (RuntimeException e) {
            return fail(now, "driver error: " + e);
        }
    }

    /**
     * Sends a soft reset; the next sample reads the status register again. Failures are returned as
     * {@code false}, never thrown.
     */
    public boolean softReset() {
        initialised = false;
        try {
            command(CMD_SOFT_RESET);
            pause.pause(RESET_TIME);
            return true;
        } catch (IOException e) {
            log.warn("soft reset failed sensor={} reason={}", config.name(), e.getMessage());
            return false;
        }
    }

    @Override
    public void close() {
        device.close();
    }

    private void initialise() throws IOException, CrcMismatch {
        command(CMD_SOFT_RESET);
        pause.pause(RESET_TIME);
        command(CMD_READ_STATUS);
        byte[] status = readWithRetry(3);
        lastStatus = word(status, 0, "status");
        command(CMD_CLEAR_STATUS);
        initialised = true;
        stuck.reset();
        log.info("sensor initialised sensor={} status=0x{}", config.name(), Integer.toHexString(lastStatus));
    }

    private List<Reading> judge(Instant now, int rawT, int rawRh) {
        double celsius = -45.0 + 175.0 * rawT / 65535.0;
        double humidity = 100.0 * rawRh / 65535.0;
        String stuckReason = stuck.observe(((long) rawT << 16) | rawRh) ? stuck.reason() : null;
        Reading t;
        if (!(celsius >= -40.0 && celsius <= 125.0)) {
            t = Reading.suspect(config.name(), "temperature", "Cel", celsius, now,
                    String.format("temperature %.2f Cel outside plausible range -40..125", celsius));
        } else if (stuckReason != null) {
            t = Reading.suspect(config.name(), "temperature", "Cel", celsius, now, stuckReason);
        } else {
            t = Reading.ok(config.name(), "temperature", "Cel", celsius, now);
        }
        Reading h = stuckReason != null
                ? Reading.suspect(config.name(), "humidity", "%RH", humidity, now, stuckReason)
                : Reading.ok(config.name(), "humidity", "%RH", humidity, now);
        return List.of(t, h);
    }

    private List<Reading> fail(Instant now, String reason) {
        if (!reason.equals(lastFailure)) {
            log.warn("sensor failed sensor={} address=0x{} reason={}", config.name(), Integer.toHexString(device.address()), reason);
        }
        lastFailure = reason;
        initialised = false;
        stuck.reset();
        return List.of(Reading.failed(config.name(), "temperature", "Cel", now, reason),
                Reading.failed(config.name(), "humidity", "%RH", now, reason));
    }

    private void command(int command) throws IOException {
        device.write(new byte[] {(byte) (command >> 8), (byte) command});
    }

    private byte[] readWithRetry(int length) throws IOException {
        byte[] data = new byte[length];
        for (int attempt = 1; ; attempt++) {
            try {
                device.read(data);
                return data;
            } catch (IOException e) {
                if (attempt >= READ_ATTEMPTS) {
                    throw e;
                }
                pause.pause(RETRY_PAUSE);
            }
        }
    }

    private static int word(byte[] data, int offset, String what) throws CrcMismatch {
        int expected = Sht3xCrc.crc8(data, offset, 2);
        int received = data[offset + 2] & 0xFF;
        int word = ((data[offset] & 0xFF) << 8) | (data[offset + 1] & 0xFF);
        if (expected != received) {
            throw new CrcMismatch(String.format("CRC mismatch on %s word 0x%04X: received 0x%02X, computed 0x%02X",
                    what, word, received, expected));
        }
        return word;
    }

    /** A word arrived with a wrong CRC byte. */
    private static final class CrcMismatch extends Exception {
        private static final long serialVersionUID = 1L;

        CrcMismatch(String message) {
            super(message);
        }
    }
}
