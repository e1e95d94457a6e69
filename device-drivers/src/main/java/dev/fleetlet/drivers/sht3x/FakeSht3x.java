package dev.fleetlet.drivers.sht3x;

import dev.fleetlet.drivers.i2c.RegisterMapI2cDevice;
import java.io.IOException;
import java.util.Objects;
import java.util.Random;
import java.util.function.DoubleSupplier;

/**
 * A command-level model of an SHT3x for tests and the simulated board. It understands the three
 * single-shot commands without clock stretching, soft reset, read status and clear status, and NACKs
 * anything else. A measurement turns the sources' °C and %RH into raw words
 * ({@code raw = (T + 45)·65535/175}, {@code raw = RH·65535/100}, rounded and clipped) with their CRCs.
 *
 * <p>Faults: those of {@link RegisterMapI2cDevice}; {@link #setCrcCorrupted(boolean)} flips a bit of
 * every CRC byte sent; {@link #setStuck(boolean)} repeats the last measurement;
 * {@link #setNotReadyReads(int)} NACKs the first reads after a measurement command, as the chip does
 * while still measuring.
 */
public class FakeSht3x extends RegisterMapI2cDevice {

    private final DoubleSupplier temperature;
    private final DoubleSupplier humidity;
    private int status = 0x0010;
    private int[] lastWords = {0, 0};
    private int[] pending;
    private int notReadyReads;
    private int notReadyLeft;
    private int measurements;
    private Random noise;
    private double noiseLsb;

    /**
     * @param address     0x44 or 0x45
     * @param temperature °C source, asked once per measurement
     * @param humidity    %RH source
     */
    public FakeSht3x(int address, DoubleSupplier temperature, DoubleSupplier humidity) {
        super(address);
        this.temperature = Objects.requireNonNull(temperature, "temperature");
        this.humidity = Objects.requireNonNull(humidity, "humidity");
    }

    /** How many reads after a measurement command the fake NACKs (default 0). */
    public synchronized void setNotReadyReads(int reads) {
        this.notReadyReads = reads;
    }

    /**
     * Adds Gaussian noise of {@code stdLsb} raw steps to both words, as a real chip shows; keeps the
     * simulated board from looking stuck when its signals change slowly. Off (0) by default.
     */
    public synchronized void setNoise(Random random, double stdLsb) {
        this.noise = Objects.requireNonNull(random, "random");
        this.noiseLsb = stdLsb;
    }

    /** Measurements performed so far (stuck ones included). */
    public synchronized int measurements() {
        return measurements;
    }

    /** The status word the fake reports. */
    public synchronized int status() {
        return status;
    }

    @Override
    protected void onRawWrite(byte[] data) throws IOException {
        if (data.length != 2) {
            throw new IOException("NACK: SHT3x commands are two bytes, got " + data.length);
        }
        int command = ((data[0] & 0xFF) << 8) | (data[1] & 0xFF);
        pending = null;
        switch (command) {
            case 0x2400, 0x240B, 0x2416 -> measure();
            case Sht3xSensor.CMD_SOFT_RESET -> status = 0x0010;
            case Sht3xSensor.CMD_READ_STATUS -> pending = new int[] {status};
            case Sht3xSensor.CMD_CLEAR_STATUS -> status = 0;
            default -> throw new IOException(String.format("NACK: unknown SHT3x command 0x%04X", command));
        }
    }

    @Override
    protected void onRawRead(byte[] buffer) throws IOException {
        if (pending == null) {
            throw new IOException("NACK: SHT3x has no data to send");
        }
        if (notReadyLeft > 0) {
            notReadyLeft--;
            throw new IOException("NACK: SHT3x still measuring");
        }
        int[] words = pending;
        pending = null;
        int i = 0;
        for (int word : words) {
            if (i + 3 > buffer.length) {
                break;
            }
            buffer[i] = (byte) (word >> 8);
            buffer[i + 1] = (byte) word;
            int crc = Sht3xCrc.crc8(word);
            buffer[i + 2] = (byte) (isCrcCorrupted() ? crc ^ 0x01 : crc);
            i += 3;
        }
    }

    private void measure() {
        measurements++;
        if (!isStuck()) {
            int t = (int) Math.round((temperature.getAsDouble() + 45.0) * 65535.0 / 175.0);
            int rh = (int) Math.round(humidity.getAsDouble() * 65535.0 / 100.0);
            if (noise != null && noiseLsb > 0) {
                t += (int) Math.round(noise.nextGaussian() * noiseLsb);
                rh += (int) Math.round(noise.nextGaussian() * noiseLsb);
            }
            lastWords = new int[] {clip(t), clip(rh)};
        }
        pending = lastWords.clone();
        notReadyLeft = notReadyReads;
    }

    private static int clip(int raw) {
        return Math.max(0, Math.min(0xFFFF, raw));
    }
}
