package dev.fleetlet.drivers.bme280;

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
 * Driver for a Bosch BME280 (temperature, pressure, humidity) or BMP280 (temperature, pressure) on I2C.
 *
 * <p>On the first sample, and again after any failure, the driver checks the chip id (0xD0), soft-resets
 * the chip (0xE0 ← 0xB6), waits for the NVM copy to finish, reads the calibration and writes config
 * (0xF5), ctrl_hum (0xF2) and then ctrl_meas (0xF4): ctrl_hum takes effect only after a ctrl_meas write.
 * In forced mode each sample starts one conversion and polls the measuring bit of status (0xF3) for at
 * most the datasheet's maximum measurement time plus a margin; in normal mode it reads the latest result.
 * The data registers 0xF7.. are read in one burst so all values belong to one conversion.
 *
 * <p>Readings, in this order: {@code temperature} (Cel), {@code pressure} (Pa, unless skipped),
 * {@code humidity} (%RH, BME280 unless skipped). Failed: bus error, wrong chip id, invalid calibration,
 * conversion timeout, "no data" marker (0x80000). Suspect: temperature outside -40..85 °C, pressure
 * outside 30000..110000 Pa, humidity outside 0..100 %RH before clamping, or an unchanged raw value
 * for {@link Bme280Config#stuckThreshold()} samples.
 */
public final class Bme280Sensor implements Sensor {

    static final int REG_CHIP_ID = 0xD0;
    static final int REG_RESET = 0xE0;
    static final int REG_CTRL_HUM = 0xF2;
    static final int REG_STATUS = 0xF3;
    static final int REG_CTRL_MEAS = 0xF4;
    static final int REG_CONFIG = 0xF5;
    static final int REG_DATA = 0xF7;
    static final int RESET_WORD = 0xB6;
    static final int STATUS_MEASURING = 0x08;
    static final int STATUS_IM_UPDATE = 0x01;
    static final int NO_DATA_20BIT = 0x80000;
    static final int NO_DATA_16BIT = 0x8000;
    private static final Duration POLL_INTERVAL = Duration.ofMillis(1);
    private static final int RESET_POLLS = 10;
    private static final Logger log = LoggerFactory.getLogger(Bme280Sensor.class);

    private final Bme280Config config;
    private final I2cDevice device;
    private final Clock clock;
    private final Pause pause;
    private final StuckValueDetector stuck;
    private Bme280Calibration calibration;
    private String lastFailure;

    /**
     * @param config the validated settings
     * @param device the chip's I2C device; this sensor closes it
     * @param clock  stamps the readings
     * @param pause  waits for resets and conversions ({@link Pause#SLEEP} on a board)
     */
    public Bme280Sensor(Bme280Config config, I2cDevice device, Clock clock, Pause pause) {
        this.config = Objects.requireNonNull(config, "config");
        this.device = Objects.requireNonNull(device, "device");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pause = Objects.requireNonNull(pause, "pause");
        this.stuck = new StuckValueDetector(config.stuckThreshold());
    }

    /** The driver for a board: real sleeping between polls. */
    public static Bme280Sensor create(Bme280Config config, I2cDevice device, Clock clock) {
        return new Bme280Sensor(config, device, clock, Pause.SLEEP);
    }

    @Override
    public String name() {
        return config.name();
    }

    /** The calibration read from the chip, or {@code null} before a successful initialisation. */
    public Bme280Calibration calibration() {
        return calibration;
    }

    @Override
    public List<Reading> sample() {
        Instant now = clock.instant();
        try {
            if (calibration == null) {
                initialise();
            }
            List<Reading> readings = measure(now);
            if (lastFailure != null) {
                log.info("sensor recovered sensor={} address=0x{}", config.name(), Integer.toHexString(device.address()));
                lastFailure = null;
            }
            return readings;
        } catch (IOException e) {
            return fail(now, "bus error: " + e.getMessage());
        } catch (ChipFault e) {
            return fail(now, e.getMessage());
        } catch (RuntimeException e) {
            return fail(now, "driver error: " + e);
        }
    }

    @Override
    public void close() {
        device.close();
    }

    private void initialise() throws IOException, ChipFault {
        int chipId = device.readRegister(REG_CHIP_ID);
        if (!config.variant().matches(chipId)) {
            throw new ChipFault(String.format("wrong chip id 0x%02X at 0x%02X, expected 0x%02X (%s)",
                    chipId, device.address(), config.variant().chipId(), config.variant()));
        }
        device.writeRegister(REG_RESET, RESET_WORD);
        pause.pause(Duration.ofMillis(2));
        int polls = 0;
        while ((device.readRegister(REG_STATUS) & STATUS_IM_UPDATE) != 0) {
            if (++polls >= RESET_POLLS) {
                throw new ChipFault("chip did not finish copying its calibration after reset");
            }
            pause.pause(POLL_INTERVAL);
        }
        byte[] tp = new byte[Bme280Calibration.TP_LENGTH];
        device.readBlock(Bme280Calibration.TP_START, tp);
        byte[] h = null;
        if (config.variant() == Bme280Config.Variant.BME280) {
            h = new byte[Bme280Calibration.H_LENGTH];
            device.readBlock(Bme280Calibration.H_START, h);
        }
        Bme280Calibration read = Bme280Calibration.decode(tp, h);
        if (!read.plausible()) {
            throw new ChipFault("calibration data invalid (dig_T1=" + read.t1() + ", dig_P1=" + read.p1() + ")");
        }
        // config is only reliably written in sleep mode, which a reset guarantees.
        device.writeRegister(REG_CONFIG, (config.standby().bits() << 5) | (config.filter().bits() << 2));
        if (config.variant() == Bme280Config.Variant.BME280) {
            device.writeRegister(REG_CTRL_HUM, config.humidityOversampling().bits());
        }
        if (config.mode() == Bme280Config.Mode.NORMAL) {
            device.writeRegister(REG_CTRL_MEAS, ctrlMeas());
        }
        calibration = read;
        stuck.reset();
        log.info("sensor initialised sensor={} chipId=0x{} mode={}", config.name(), Integer.toHexString(chipId), config.mode());
    }

    private int ctrlMeas() {
        return (config.temperatureOversampling().bits() << 5)
                | (config.pressureOversampling().bits() << 2)
                | config.mode().bits();
    }

    private List<Reading> measure(Instant now) throws IOException, ChipFault {
        if (config.mode() == Bme280Config.Mode.FORCED) {
            device.writeRegister(REG_CTRL_MEAS, ctrlMeas());
            pause.pause(typicalMeasurementTime());
            int polls = 0;
            int maxPolls = (int) maxMeasurementTime().toMillis() + 5;
            while ((device.readRegister(REG_STATUS) & STATUS_MEASURING) != 0) {
                if (++polls > maxPolls) {
                    throw new ChipFault("conversion did not complete within " + maxPolls + " ms");
                }
                pause.pause(POLL_INTERVAL);
            }
        }
        boolean humidity = config.variant() == Bme280Config.Variant.BME280;
        byte[] data = new byte[humidity ? 8 : 6];
        device.readBlock(REG_DATA, data);
        int adcP = ((data[0] & 0xFF) << 12) | ((data[1] & 0xFF) << 4) | ((data[2] & 0xFF) >> 4);
        int adcT = ((data[3] & 0xFF) << 12) | ((data[4] & 0xFF) << 4) | ((data[5] & 0xFF) >> 4);
        int adcH = humidity ? ((data[6] & 0xFF) << 8) | (data[7] & 0xFF) : 0;
        return compensate(now, adcT, adcP, adcH);
    }

    private List<Reading> compensate(Instant now, int adcT, int adcP, int adcH) throws ChipFault {
        if (adcT == NO_DATA_20BIT) {
            throw new ChipFault("no temperature conversion data (0x80000)");
        }
        boolean wantP = config.pressureOversampling() != Bme280Config.Oversampling.SKIP;
        boolean wantH = config.humidityOversampling() != Bme280Config.Oversampling.SKIP;
        String stuckReason = stuck.observe(((long) adcT << 36) | ((long) adcP << 16) | adcH) ? stuck.reason() : null;

        List<Reading> out = new ArrayList<>(3);
        Bme280Compensation.Temperature t = Bme280Compensation.temperature(calibration, adcT);
        out.add(judge(now, "temperature", "Cel", t.celsius(), -40.0, 85.0, stuckReason));
        if (wantP) {
            if (adcP == NO_DATA_20BIT) {
                out.add(Reading.failed(config.name(), "pressure", "Pa", now, "no pressure conversion data (0x80000)"));
            } else {
                double p = Bme280Compensation.pressure(calibration, adcP, t.tFine());
                out.add(judge(now, "pressure", "Pa", p, 30000.0, 110000.0, stuckReason));
            }
        }
        if (wantH) {
            if (adcH == NO_DATA_16BIT) {
                out.add(Reading.failed(config.name(), "humidity", "%RH", now, "no humidity conversion data (0x8000)"));
            } else {
                double h = Bme280Compensation.humidityUnclamped(calibration, adcH, t.tFine());
                Reading r = judge(now, "humidity", "%RH", h, 0.0, 100.0, stuckReason);
                out.add(new Reading(r.sensor(), r.quantity(), r.unit(), Math.max(0.0, Math.min(100.0, h)), now, r.quality()));
            }
        }
        return out;
    }

    private Reading judge(Instant now, String quantity, String unit, double value, double min, double max, String stuckReason) {
        if (!(value >= min && value <= max)) {
            return Reading.suspect(config.name(), quantity, unit, value, now,
                    String.format("%s %.2f %s outside plausible range %.0f..%.0f", quantity, value, unit, min, max));
        }
        if (stuckReason != null) {
            return Reading.suspect(config.name(), quantity, unit, value, now, stuckReason);
        }
        return Reading.ok(config.name(), quantity, unit, value, now);
    }

    private List<Reading> fail(Instant now, String reason) {
        if (!reason.equals(lastFailure)) {
            log.warn("sensor failed sensor={} address=0x{} reason={}", config.name(), Integer.toHexString(device.address()), reason);
        }
        lastFailure = reason;
        calibration = null;
        stuck.reset();
        List<Reading> out = new ArrayList<>(3);
        out.add(Reading.failed(config.name(), "temperature", "Cel", now, reason));
        if (config.pressureOversampling() != Bme280Config.Oversampling.SKIP) {
            out.add(Reading.failed(config.name(), "pressure", "Pa", now, reason));
        }
        if (config.humidityOversampling() != Bme280Config.Oversampling.SKIP) {
            out.add(Reading.failed(config.name(), "humidity", "%RH", now, reason));
        }
        return out;
    }

    /** Datasheet (BME280 section 9.1) typical measurement time in ms: 1 + 2·T + (2·P + 0.5) + (2·H + 0.5). */
    Duration typicalMeasurementTime() {
        double ms = 1.0 + 2.0 * config.temperatureOversampling().factor();
        int p = config.pressureOversampling().factor();
        int h = config.humidityOversampling().factor();
        ms += p == 0 ? 0 : 2.0 * p + 0.5;
        ms += h == 0 ? 0 : 2.0 * h + 0.5;
        return Duration.ofNanos((long) (ms * 1_000_000));
    }

    /** Datasheet maximum measurement time in ms: 1.25 + 2.3·T + (2.3·P + 0.575) + (2.3·H + 0.575). */
    Duration maxMeasurementTime() {
        double ms = 1.25 + 2.3 * config.temperatureOversampling().factor();
        int p = config.pressureOversampling().factor();
        int h = config.humidityOversampling().factor();
        ms += p == 0 ? 0 : 2.3 * p + 0.575;
        ms += h == 0 ? 0 : 2.3 * h + 0.575;
        return Duration.ofNanos((long) Math.ceil(ms * 1_000_000));
    }

    /** A chip answered, but not as a healthy BME280 would. */
    private static final class ChipFault extends Exception {
        private static final long serialVersionUID = 1L;

        ChipFault(String message) {
            super(message);
        }
    }
}
