package dev.fleetlet.drivers.bme280;

import dev.fleetlet.drivers.i2c.RegisterMapI2cDevice;
import java.io.IOException;
import java.util.Objects;
import java.util.Random;
import java.util.function.DoubleSupplier;
import java.util.function.IntToDoubleFunction;

/**
 * A register-level model of a BME280/BMP280 for tests and the simulated board.
 *
 * <p>It holds a chip id, calibration registers, ctrl_hum/ctrl_meas/config/status with the chip's
 * behaviour (ctrl_hum latched by the next ctrl_meas write, the measuring bit set for a few status
 * polls after a forced conversion starts, the chip back in sleep afterwards, im_update after a soft
 * reset). On each conversion it asks its signal sources for °C, Pa and %RH and writes the raw ADC
 * values that make Bosch's compensation return those values: the compensation is inverted
 * numerically (bisection over the ADC range), so a driver reads back the physical values to within
 * the ADC's resolution. {@link #setRawAdc(int, int, int)} bypasses the sources with fixed raw values
 * (datasheet vectors). Skipped channels read 0x80000 / 0x8000, as on the chip.
 *
 * <p>Faults come from {@link RegisterMapI2cDevice}: bus errors, {@link #setStuck(boolean) stuck}
 * (data registers stop updating), wrong chip id via {@link #overrideRegister(int, int)} on 0xD0,
 * plus {@link #setMeasuringPolls(int)} for a conversion that never finishes.
 */
public class FakeBme280 extends RegisterMapI2cDevice {

    /**
     * The BMP280 datasheet's example trimming values (section 3.12) for T and P, with typical humidity
     * trimming values of a BME280.
     */
    public static final Bme280Calibration DATASHEET_CALIBRATION = new Bme280Calibration(
            27504, 26435, -1000,
            36477, -10685, 3024, 2855, 140, -7, 15500, -14600, 6000,
            75, 362, 0, 313, 50, 30);

    private final Bme280Config.Variant variant;
    private final Bme280Calibration calibration;
    private final DoubleSupplier temperature;
    private final DoubleSupplier pressure;
    private final DoubleSupplier humidity;
    private int measuringPolls = 1;
    private int pollsLeft = -1;
    private int latchedHumidityOsrs;
    private int[] rawOverride;
    private int conversions;
    private Random noise;
    private double noiseLsb;

    /**
     * @param address     0x76 or 0x77
     * @param variant     which chip to model (chip id 0x60 or 0x58; a BMP280 has no humidity registers)
     * @param calibration the trimming values stored in the fake's NVM
     * @param temperature °C source, asked once per conversion
     * @param pressure    Pa source
     * @param humidity    %RH source (ignored for a BMP280)
     */
    public FakeBme280(int address, Bme280Config.Variant variant, Bme280Calibration calibration,
            DoubleSupplier temperature, DoubleSupplier pressure, DoubleSupplier humidity) {
        super(address);
        this.variant = Objects.requireNonNull(variant, "variant");
        this.calibration = Objects.requireNonNull(calibration, "calibration");
        this.temperature = Objects.requireNonNull(temperature, "temperature");
        this.pressure = Objects.requireNonNull(pressure, "pressure");
        this.humidity = Objects.requireNonNull(humidity, "humidity");
        powerOn();
    }

    /** A fake with {@link #DATASHEET_CALIBRATION} at 0x76. */
    public static FakeBme280 of(Bme280Config.Variant variant, DoubleSupplier temperature, DoubleSupplier pressure,
            DoubleSupplier humidity) {
        return new FakeBme280(0x76, variant, DATASHEET_CALIBRATION, temperature, pressure, humidity);
    }

    /** How many status reads show "measuring" after a forced conversion starts (default 1). */
    public synchronized void setMeasuringPolls(int polls) {
        this.measuringPolls = polls;
    }

    /** Uses fixed raw ADC values for every later conversion instead of the signal sources. */
    public synchronized void setRawAdc(int adcT, int adcP, int adcH) {
        rawOverride = new int[] {adcT, adcP, adcH};
    }

    /** Goes back to the signal sources after {@link #setRawAdc(int, int, int)}. */
    public synchronized void useSignals() {
        rawOverride = null;
    }

    /**
     * Adds Gaussian noise of {@code stdLsb} ADC steps to every raw value, as a real chip shows (a
     * BME280 at x1 oversampling is noisy by several LSB); keeps the simulated board from looking
     * stuck when its signals change slowly. Off (0) by default so tests get exact values.
     */
    public synchronized void setAdcNoise(Random random, double stdLsb) {
        this.noise = Objects.requireNonNull(random, "random");
        this.noiseLsb = stdLsb;
    }

    /** Conversions completed so far (stuck ones included). */
    public synchronized int conversions() {
        return conversions;
    }

    /** The raw ADC value for {@code celsius} under this fake's calibration. */
    public int rawTemperature(double celsius) {
        return invert(adc -> Bme280Compensation.temperature(calibration, adc).celsius(), 0xFFFFF, celsius);
    }

    private void powerOn() {
        setRegister(Bme280Sensor.REG_CHIP_ID, variant.chipId());
        setRegisters(Bme280Calibration.TP_START, calibration.encodeTp());
        if (variant == Bme280Config.Variant.BME280) {
            setRegisters(Bme280Calibration.H_START, calibration.encodeH());
        }
        setRegister(Bme280Sensor.REG_CTRL_HUM, 0);
        setRegister(Bme280Sensor.REG_CTRL_MEAS, 0);
        setRegister(Bme280Sensor.REG_CONFIG, 0);
        setRegister(Bme280Sensor.REG_STATUS, 0);
        latchedHumidityOsrs = 0;
        pollsLeft = -1;
        setRegisters(Bme280Sensor.REG_DATA, new byte[] {(byte) 0x80, 0, 0, (byte) 0x80, 0, 0, (byte) 0x80, 0});
    }

    @Override
    protected void onRegisterWrite(int register, int value) throws IOException {
        if (register == Bme280Sensor.REG_RESET && value == Bme280Sensor.RESET_WORD) {
            powerOn();
            setRegister(Bme280Sensor.REG_STATUS, Bme280Sensor.STATUS_IM_UPDATE);
        } else if (register == Bme280Sensor.REG_CTRL_MEAS) {
            latchedHumidityOsrs = register(Bme280Sensor.REG_CTRL_HUM) & 0x07;
            int mode = value & 0x03;
            if (mode == 0b01 || mode == 0b10) {
                pollsLeft = measuringPolls;
            }
        }
    }

    @Override
    protected void onRegisterRead(int register) throws IOException {
        if (register == Bme280Sensor.REG_STATUS) {
            int status = 0;
            if (pollsLeft > 0) {
                pollsLeft--;
                status |= Bme280Sensor.STATUS_MEASURING;
            } else if (pollsLeft == 0) {
                pollsLeft = -1;
                convert();
                setRegister(Bme280Sensor.REG_CTRL_MEAS, register(Bme280Sensor.REG_CTRL_MEAS) & ~0x03);
            }
            setRegister(Bme280Sensor.REG_STATUS, status);
        } else if (register == Bme280Sensor.REG_DATA && (register(Bme280Sensor.REG_CTRL_MEAS) & 0x03) == 0b11) {
            convert();
        }
    }

    private void convert() {
        conversions++;
        if (isStuck()) {
            return;
        }
        int ctrlMeas = register(Bme280Sensor.REG_CTRL_MEAS);
        boolean tOn = (ctrlMeas >> 5) != 0;
        boolean pOn = ((ctrlMeas >> 2) & 0x07) != 0;
        boolean hOn = variant == Bme280Config.Variant.BME280 && latchedHumidityOsrs != 0;
        int adcT;
        int adcP;
        int adcH;
        if (rawOverride != null) {
            adcT = rawOverride[0];
            adcP = rawOverride[1];
            adcH = rawOverride[2];
        } else {
            adcT = rawTemperature(temperature.getAsDouble());
            double tFine = Bme280Compensation.temperature(calibration, adcT).tFine();
            double pa = pressure.getAsDouble();
            adcP = invert(adc -> Bme280Compensation.pressure(calibration, adc, tFine), 0xFFFFF, pa);
            double rh = humidity.getAsDouble();
            adcH = invert(adc -> Bme280Compensation.humidityUnclamped(calibration, adc, tFine), 0xFFFF, rh);
        }
        if (noise != null && noiseLsb > 0 && rawOverride == null) {
            adcT = clip(adcT + (int) Math.round(noise.nextGaussian() * noiseLsb), 0xFFFFF);
            adcP = clip(adcP + (int) Math.round(noise.nextGaussian() * noiseLsb), 0xFFFFF);
            adcH = clip(adcH + (int) Math.round(noise.nextGaussian() * noiseLsb), 0xFFFF);
        }
        adcT = tOn ? adcT : Bme280Sensor.NO_DATA_20BIT;
        adcP = pOn ? adcP : Bme280Sensor.NO_DATA_20BIT;
        adcH = hOn ? adcH : Bme280Sensor.NO_DATA_16BIT;
        setRegisters(Bme280Sensor.REG_DATA, new byte[] {
            (byte) (adcP >> 12), (byte) (adcP >> 4), (byte) ((adcP & 0x0F) << 4),
            (byte) (adcT >> 12), (byte) (adcT >> 4), (byte) ((adcT & 0x0F) << 4),
            (byte) (adcH >> 8), (byte) adcH
        });
    }

    private static int clip(int value, int max) {
        return Math.max(0, Math.min(max, value));
    }

    /** The integer in 0..max whose value under monotonic {@code f} is nearest to {@code target}. */
    static int invert(IntToDoubleFunction f, int max, double target) {
        int lo = 0;
        int hi = max;
        boolean increasing = f.applyAsDouble(max) > f.applyAsDouble(0);
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if ((f.applyAsDouble(mid) < target) == increasing) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return Math.abs(f.applyAsDouble(lo) - target) <= Math.abs(f.applyAsDouble(hi) - target) ? lo : hi;
    }
}
