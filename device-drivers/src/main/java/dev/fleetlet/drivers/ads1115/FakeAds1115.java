package dev.fleetlet.drivers.ads1115;

import dev.fleetlet.drivers.i2c.RegisterMapI2cDevice;
import java.io.IOException;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * A register-level model of an ADS1115 for tests and the simulated board: 16-bit pointer registers,
 * single-shot conversions started by the OS bit, OS reading 0 for {@link #setConversionPolls(int) a
 * few} config reads, then the code of the selected input (differential inputs subtract), rounded
 * and clipped to the gain's full scale. Each analog input AIN0..AIN3 has its own voltage source,
 * which may be noisy.
 *
 * <p>Faults: those of {@link RegisterMapI2cDevice} ({@link #setStuck(boolean) stuck} keeps the last
 * conversion code), plus {@link #setConfigReadbackXor(int)} for a chip at the address that is not
 * an ADS1115 (its config does not echo).
 */
public class FakeAds1115 extends RegisterMapI2cDevice {

    private final DoubleSupplier[] inputs;
    private final int[] words = new int[4];
    private int conversionPolls = 1;
    private int pollsLeft = -1;
    private int readbackXor;
    private int conversions;

    /**
     * @param address 0x48..0x4B
     * @param inputs  four voltage sources, AIN0..AIN3, in volts relative to GND
     */
    public FakeAds1115(int address, DoubleSupplier... inputs) {
        super(address);
        if (inputs.length != 4) {
            throw new IllegalArgumentException("inputs must be four sources (AIN0..AIN3), were " + inputs.length);
        }
        for (DoubleSupplier in : inputs) {
            Objects.requireNonNull(in, "input");
        }
        this.inputs = inputs.clone();
        words[Ads1115Registers.CONFIG] = 0x8583;
        words[2] = 0x8000;
        words[3] = 0x7FFF;
    }

    /** How many config reads show a conversion in progress (OS = 0) after it starts (default 1). */
    public synchronized void setConversionPolls(int polls) {
        this.conversionPolls = polls;
    }

    /** XORs the config word on read-back: non-zero models a different chip at the address. */
    public synchronized void setConfigReadbackXor(int mask) {
        this.readbackXor = mask;
    }

    /** Conversions completed so far. */
    public synchronized int conversions() {
        return conversions;
    }

    /** The current value of a 16-bit register (0..3). */
    public synchronized int word(int register) {
        return words[register & 0x03];
    }

    @Override
    public synchronized void clearFaults() {
        super.clearFaults();
        readbackXor = 0;
    }

    @Override
    protected void writeRegisters(int start, byte[] data) throws IOException {
        if (start > 3 || data.length != 2) {
            throw new IOException(String.format("NACK: ADS1115 register write needs pointer 0..3 and 2 bytes, got 0x%02X x%d", start, data.length));
        }
        int value = ((data[0] & 0xFF) << 8) | (data[1] & 0xFF);
        if (start == Ads1115Registers.CONVERSION) {
            return;
        }
        if (start == Ads1115Registers.CONFIG) {
            words[start] = value & 0x7FFF | (pollsLeft >= 0 ? 0 : Ads1115Registers.OS);
            if ((value & Ads1115Registers.OS) != 0) {
                pollsLeft = conversionPolls;
                words[start] &= 0x7FFF;
            }
            return;
        }
        words[start] = value;
    }

    @Override
    protected void readRegisters(int start, byte[] buffer) throws IOException {
        if (start > 3) {
            throw new IOException(String.format("NACK: ADS1115 has no register 0x%02X", start));
        }
        int value = words[start];
        if (start == Ads1115Registers.CONFIG) {
            if (pollsLeft > 0) {
                pollsLeft--;
            } else if (pollsLeft == 0) {
                pollsLeft = -1;
                complete();
            }
            value = words[start] ^ readbackXor;
        }
        for (int i = 0; i < buffer.length; i++) {
            buffer[i] = (byte) (i % 2 == 0 ? value >> 8 : value);
        }
    }

    private void complete() {
        conversions++;
        int config = words[Ads1115Registers.CONFIG];
        words[Ads1115Registers.CONFIG] = config | Ads1115Registers.OS;
        if (isStuck()) {
            return;
        }
        Ads1115Config.Mux mux = Ads1115Config.Mux.fromBits((config >> 12) & 0x07);
        Ads1115Config.Gain gain = Ads1115Config.Gain.fromBits((config >> 9) & 0x07);
        double volts = inputs[mux.positive()].getAsDouble() - (mux.negative() < 0 ? 0.0 : inputs[mux.negative()].getAsDouble());
        words[Ads1115Registers.CONVERSION] = Ads1115Registers.code(volts, gain) & 0xFFFF;
    }
}
