package dev.fleetlet.drivers.ads1115;

import dev.fleetlet.drivers.Reading;
import dev.fleetlet.drivers.Sensor;
import dev.fleetlet.drivers.i2c.I2cDevice;
import dev.fleetlet.drivers.i2c.Pause;
import dev.fleetlet.drivers.i2c.StuckValueDetector;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Driver for a TI ADS1115 in single-shot mode: per channel it writes the config word with OS=1,
 * waits one conversion time (1/data rate), polls the OS bit until the conversion is done (at most
 * about five conversion times) and reads the signed 16-bit result, which it converts to volts
 * ({@code code · FS / 32768}) and optionally scales.
 *
 * <p>The chip has no id register. On the first sample and after any failure the driver writes a
 * config word without OS and reads it back; a chip whose config does not echo fails with
 * "does not answer like an ADS1115". Failed: bus error, conversion timeout, failed identity check.
 * Suspect: a code at either end of the range (input clipped), a scaled value outside its range, or
 * a code unchanged for {@link Ads1115Config#stuckThreshold()} samples.
 */
public final class Ads1115Sensor implements Sensor {

    private static final Logger log = LoggerFactory.getLogger(Ads1115Sensor.class);
    private static final int MAX_POLLS = 20;

    private final Ads1115Config config;
    private final I2cDevice device;
    private final Clock clock;
    private final Pause pause;
    private final List<StuckValueDetector> stuck = new ArrayList<>();
    private boolean verified;
    private String lastFailure;

    public Ads1115Sensor(Ads1115Config config, I2cDevice device, Clock clock, Pause pause) {
        this.config = Objects.requireNonNull(config, "config");
        this.device = Objects.requireNonNull(device, "device");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pause = Objects.requireNonNull(pause, "pause");
        config.channels().forEach(c -> stuck.add(new StuckValueDetector(config.stuckThreshold())));
    }

    /** The driver for a board: real sleeping while a conversion runs. */
    public static Ads1115Sensor create(Ads1115Config config, I2cDevice device, Clock clock) {
        return new Ads1115Sensor(config, device, clock, Pause.SLEEP);
    }

    @Override
    public String name() {
        return config.name();
    }

    /**
     * One conversion time per channel, {@code 1 / data-rate + 0.1 ms} (the wait before the first OS
     * poll): 7.9 ms for one channel at the default 128 SPS (fast lane), 125 ms at 8 SPS (slow lane).
     */
    @Override
    public Duration expectedReadTime() {
        Duration total = Duration.ZERO;
        for (Ads1115Config.Channel channel : config.channels()) {
            total = total.plus(conversionTime(channel));
        }
        return total;
    }

    private static Duration conversionTime(Ads1115Config.Channel channel) {
        return Duration.ofNanos(1_000_000_000L / channel.rate().samplesPerSecond() + 100_000);
    }

    @Override
    public List<Reading> sample() {
        Instant now = clock.instant();
        List<Reading> out = new ArrayList<>(config.channels().size());
        for (int i = 0; i < config.channels().size(); i++) {
            Ads1115Config.Channel channel = config.channels().get(i);
            try {
                if (!verified) {
                    verify(channel);
                }
                out.add(judge(now, channel, stuck.get(i), convert(channel)));
                lastFailure = null;
            } catch (IOException e) {
                out.add(fail(now, channel, "bus error: " + e.getMessage()));
            } catch (ChipFault e) {
                out.add(fail(now, channel, e.getMessage()));
            } catch (RuntimeException e) {
                out.add(fail(now, channel, "driver error: " + e));
            }
        }
        return out;
    }

    @Override
    public void close() {
        device.close();
    }

    private void verify(Ads1115Config.Channel channel) throws IOException, ChipFault {
        int word = Ads1115Registers.singleShotConfig(channel.mux(), channel.gain(), channel.rate()) & ~Ads1115Registers.OS;
        writeWord(Ads1115Registers.CONFIG, word);
        int back = readWord(Ads1115Registers.CONFIG);
        if ((back & 0x7FFF) != (word & 0x7FFF)) {
            throw new ChipFault(String.format("device at 0x%02X does not answer like an ADS1115 (wrote config 0x%04X, read 0x%04X)",
                    device.address(), word, back));
        }
        verified = true;
    }

    private int convert(Ads1115Config.Channel channel) throws IOException, ChipFault {
        writeWord(Ads1115Registers.CONFIG, Ads1115Registers.singleShotConfig(channel.mux(), channel.gain(), channel.rate()));
        Duration conversion = conversionTime(channel);
        pause.pause(conversion);
        int polls = 0;
        while ((readWord(Ads1115Registers.CONFIG) & Ads1115Registers.OS) == 0) {
            if (++polls > MAX_POLLS) {
                throw new ChipFault("conversion did not complete within " + conversion.multipliedBy(1 + MAX_POLLS / 4).toMillis() + " ms");
            }
            pause.pause(conversion.dividedBy(4));
        }
        return (short) readWord(Ads1115Registers.CONVERSION);
    }

    private Reading judge(Instant now, Ads1115Config.Channel channel, StuckValueDetector detector, int code) {
        double volts = Ads1115Registers.volts(code, channel.gain());
        double value = channel.scaling() == null ? volts : channel.scaling().apply(volts);
        String name = config.name();
        if (code == 32767 || code == -32768) {
            return Reading.suspect(name, channel.quantity(), channel.unit(), value, now,
                    String.format("input at full scale of ±%.3f V (clipped, code 0x%04X)", channel.gain().fullScale(), code & 0xFFFF));
        }
        if (channel.scaling() != null && !(value >= channel.scaling().min() && value <= channel.scaling().max())) {
            return Reading.suspect(name, channel.quantity(), channel.unit(), value, now,
                    String.format("%s %.3f %s outside plausible range %s..%s (%.4f V)", channel.quantity(), value,
                            channel.unit(), channel.scaling().min(), channel.scaling().max(), volts));
        }
        if (detector.observe(code)) {
            return Reading.suspect(name, channel.quantity(), channel.unit(), value, now, detector.reason());
        }
        return Reading.ok(name, channel.quantity(), channel.unit(), value, now);
    }

    private Reading fail(Instant now, Ads1115Config.Channel channel, String reason) {
        if (!reason.equals(lastFailure)) {
            log.warn("sensor failed sensor={} address=0x{} channel={} reason={}", config.name(),
                    Integer.toHexString(device.address()), channel.quantity(), reason);
        }
        lastFailure = reason;
        verified = false;
        stuck.forEach(StuckValueDetector::reset);
        return Reading.failed(config.name(), channel.quantity(), channel.unit(), now, reason);
    }

    private void writeWord(int register, int value) throws IOException {
        device.writeBlock(register, new byte[] {(byte) (value >> 8), (byte) value});
    }

    private int readWord(int register) throws IOException {
        byte[] b = new byte[2];
        device.readBlock(register, b);
        return ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
    }

    /** The chip answered, but not as a healthy ADS1115 would. */
    private static final class ChipFault extends Exception {
        private static final long serialVersionUID = 1L;

        ChipFault(String message) {
            super(message);
        }
    }
}
