package dev.fleetlet.drivers.i2c;

import com.pi4j.context.Context;
import com.pi4j.io.i2c.I2C;
import java.io.IOException;
import java.util.Objects;

/**
 * {@link I2cDevice} over a Pi4J 2.x {@link I2C} handle (the linuxfs provider on a board, the mock
 * provider in tests).
 *
 * <p>Pi4J reports bus faults as unchecked exceptions and some providers as negative or short return
 * counts; this adapter turns both into {@link IOException} so drivers see one failure type. Pi4J's
 * mock provider returns register bytes sign-extended while the linuxfs provider does not, so every
 * byte is masked with {@code 0xFF} here.
 */
public final class Pi4jI2cDevice implements I2cDevice {

    private final I2C i2c;
    private final int address;
    private boolean closed;

    /** Wraps an already-created Pi4J I2C handle; this adapter closes it on {@link #close()}. */
    public Pi4jI2cDevice(I2C i2c) {
        this.i2c = Objects.requireNonNull(i2c, "i2c");
        this.address = i2c.device();
    }

    /**
     * Creates a Pi4J I2C handle on {@code bus} for the chip at {@code address} through the context's
     * default I2C provider and wraps it.
     *
     * @param id a Pi4J registry id, unique within the context (e.g. the sensor name)
     */
    public static Pi4jI2cDevice open(Context context, String id, int bus, int address) {
        Objects.requireNonNull(context, "context");
        if (bus < 0) {
            throw new IllegalArgumentException("bus must be >= 0, was " + bus);
        }
        if (address < 0x03 || address > 0x77) {
            throw new IllegalArgumentException("address must be a 7-bit I2C address 0x03..0x77, was " + address);
        }
        I2C i2c = context.create(I2C.newConfigBuilder(context).id(id).bus(bus).device(address).build());
        return new Pi4jI2cDevice(i2c);
    }

    @Override
    public int address() {
        return address;
    }

    @Override
    public int readRegister(int register) throws IOException {
        I2cDevice.checkRegister(register);
        ensureOpen();
        int value;
        try {
            value = i2c.readRegister(register);
        } catch (RuntimeException e) {
            throw busError("read register " + hex(register), e);
        }
        return value & 0xFF;
    }

    @Override
    public void writeRegister(int register, int value) throws IOException {
        I2cDevice.checkRegister(register);
        ensureOpen();
        int written;
        try {
            written = i2c.writeRegister(register, (byte) value);
        } catch (RuntimeException e) {
            throw busError("write register " + hex(register), e);
        }
        if (written < 0) {
            throw new IOException("I2C write register " + hex(register) + " at " + hex(address) + " failed, code " + written);
        }
    }

    @Override
    public void readBlock(int register, byte[] buffer) throws IOException {
        I2cDevice.checkRegister(register);
        ensureOpen();
        int read;
        try {
            read = i2c.readRegister(register, buffer, 0, buffer.length);
        } catch (RuntimeException e) {
            throw busError("read block at " + hex(register), e);
        }
        checkCount("read block at " + hex(register), read, buffer.length);
    }

    @Override
    public void writeBlock(int register, byte[] data) throws IOException {
        I2cDevice.checkRegister(register);
        ensureOpen();
        int written;
        try {
            written = i2c.writeRegister(register, data, 0, data.length);
        } catch (RuntimeException e) {
            throw busError("write block at " + hex(register), e);
        }
        if (written < 0) {
            throw new IOException("I2C write block at " + hex(register) + " on " + hex(address) + " failed, code " + written);
        }
    }

    @Override
    public void write(byte[] data) throws IOException {
        ensureOpen();
        int written;
        try {
            written = i2c.write(data, 0, data.length);
        } catch (RuntimeException e) {
            throw busError("raw write", e);
        }
        if (written < 0) {
            throw new IOException("I2C raw write on " + hex(address) + " failed, code " + written);
        }
    }

    @Override
    public void read(byte[] buffer) throws IOException {
        ensureOpen();
        int read;
        try {
            read = i2c.read(buffer, 0, buffer.length);
        } catch (RuntimeException e) {
            throw busError("raw read", e);
        }
        checkCount("raw read", read, buffer.length);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            i2c.close();
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("I2C device " + hex(address) + " is closed");
        }
    }

    private void checkCount(String what, int actual, int expected) throws IOException {
        if (actual != expected) {
            throw new IOException("I2C " + what + " on " + hex(address) + " returned " + actual
                    + " bytes, expected " + expected);
        }
    }

    private IOException busError(String what, RuntimeException e) {
        return new IOException("I2C " + what + " on " + hex(address) + " failed: " + e.getMessage(), e);
    }

    private static String hex(int value) {
        return String.format("0x%02X", value);
    }
}
