package dev.fleetlet.drivers.i2c;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A fake I2C chip: 256 byte registers with auto-increment, plus fault injection. The base for the
 * chip fakes used by unit tests and by the simulated board.
 *
 * <p>Subclasses model a chip by overriding the hooks: {@link #onRegisterWrite(int, int)} reacts to a
 * write (start a conversion), {@link #onRegisterRead(int)} may refresh registers before they are read
 * (a status bit that clears after N polls), and {@link #onRawWrite(byte[])} / {@link #onRawRead(byte[])}
 * implement command-based chips. Chips with 16-bit registers override {@link #readRegisters(int, byte[])}
 * and {@link #writeRegisters(int, byte[])}.
 *
 * <p>Faults, all cleared by {@link #clearFaults()}:
 * <ul>
 *   <li>{@link #failNextOperations(int)} / {@link #failUntilCleared()}: every bus operation throws
 *       {@link IOException} (a NACK) before touching any register;</li>
 *   <li>{@link #setStuck(boolean)}: subclasses stop updating their measurement registers;</li>
 *   <li>{@link #setCrcCorrupted(boolean)}: subclasses that send CRC bytes send wrong ones;</li>
 *   <li>{@link #overrideRegister(int, int)}: a register always reads as a fixed value (a wrong chip id).</li>
 * </ul>
 * All public methods are synchronized so a test or the simulated board may inject faults from another
 * thread while a driver samples.
 */
public class RegisterMapI2cDevice implements I2cDevice {

    private final int address;
    private final int[] registers = new int[256];
    private final Map<Integer, Integer> overrides = new HashMap<>();
    private final List<String> operations = new ArrayList<>();
    private int failuresLeft;
    private boolean failForever;
    private boolean stuck;
    private boolean crcCorrupted;
    private boolean closed;

    /** @param address the 7-bit address this fake answers to (only used in messages) */
    public RegisterMapI2cDevice(int address) {
        this.address = address;
    }

    @Override
    public int address() {
        return address;
    }

    @Override
    public synchronized int readRegister(int register) throws IOException {
        byte[] one = new byte[1];
        readBlock(register, one);
        return one[0] & 0xFF;
    }

    @Override
    public synchronized void writeRegister(int register, int value) throws IOException {
        writeBlock(register, new byte[] {(byte) value});
    }

    @Override
    public synchronized void readBlock(int register, byte[] buffer) throws IOException {
        I2cDevice.checkRegister(register);
        beginOperation("read " + hex(register) + " x" + buffer.length);
        readRegisters(register, buffer);
    }

    @Override
    public synchronized void writeBlock(int register, byte[] data) throws IOException {
        I2cDevice.checkRegister(register);
        beginOperation("write " + hex(register) + " " + hexBytes(data));
        writeRegisters(register, data);
    }

    @Override
    public synchronized void write(byte[] data) throws IOException {
        beginOperation("raw write " + hexBytes(data));
        onRawWrite(data.clone());
    }

    @Override
    public synchronized void read(byte[] buffer) throws IOException {
        beginOperation("raw read x" + buffer.length);
        onRawRead(buffer);
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    // ---- fault injection ----

    /** The next {@code count} bus operations throw {@link IOException}. */
    public synchronized void failNextOperations(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, was " + count);
        }
        failuresLeft = count;
    }

    /** Every bus operation throws {@link IOException} until {@link #clearFaults()}. */
    public synchronized void failUntilCleared() {
        failForever = true;
    }

    /** Freezes (or unfreezes) the measurement registers; honoured by subclasses through {@link #isStuck()}. */
    public synchronized void setStuck(boolean stuck) {
        this.stuck = stuck;
    }

    /** Makes subclasses send wrong CRC bytes; honoured through {@link #isCrcCorrupted()}. */
    public synchronized void setCrcCorrupted(boolean corrupted) {
        this.crcCorrupted = corrupted;
    }

    /** Makes {@code register} always read as {@code value}, e.g. a wrong chip id. */
    public synchronized void overrideRegister(int register, int value) {
        overrides.put(I2cDevice.checkRegister(register), value & 0xFF);
    }

    /** Removes every injected fault. */
    public synchronized void clearFaults() {
        failuresLeft = 0;
        failForever = false;
        stuck = false;
        crcCorrupted = false;
        overrides.clear();
        closed = false;
    }

    /** Whether the measurement registers are frozen. */
    public synchronized boolean isStuck() {
        return stuck;
    }

    /** Whether CRC bytes should be corrupted. */
    public synchronized boolean isCrcCorrupted() {
        return crcCorrupted;
    }

    /** Every bus operation so far, oldest first (e.g. {@code write 0xF4 0x25}); for assertions in tests. */
    public synchronized List<String> operations() {
        return List.copyOf(operations);
    }

    /** The current content of a register as the chip holds it (overrides not applied). */
    public synchronized int register(int register) {
        return registers[I2cDevice.checkRegister(register)];
    }

    /** Sets a register as the chip would (no hook is called). */
    public synchronized void setRegister(int register, int value) {
        registers[I2cDevice.checkRegister(register)] = value & 0xFF;
    }

    /** Sets consecutive registers from {@code start}. */
    public synchronized void setRegisters(int start, byte[] values) {
        for (int i = 0; i < values.length; i++) {
            registers[(start + i) & 0xFF] = values[i] & 0xFF;
        }
    }

    // ---- hooks for subclasses ----

    /** Fills {@code buffer} from consecutive registers (auto-increment), calling {@link #onRegisterRead(int)} first. */
    protected void readRegisters(int start, byte[] buffer) throws IOException {
        for (int i = 0; i < buffer.length; i++) {
            int register = (start + i) & 0xFF;
            onRegisterRead(register);
            Integer override = overrides.get(register);
            buffer[i] = (byte) (override != null ? override : registers[register]);
        }
    }

    /** Stores {@code data} into consecutive registers, calling {@link #onRegisterWrite(int, int)} after each. */
    protected void writeRegisters(int start, byte[] data) throws IOException {
        for (int i = 0; i < data.length; i++) {
            int register = (start + i) & 0xFF;
            registers[register] = data[i] & 0xFF;
            onRegisterWrite(register, data[i] & 0xFF);
        }
    }

    /** Called before a register is read; may update it. Default: nothing. */
    protected void onRegisterRead(int register) throws IOException {
    }

    /** Called after a register was written. Default: nothing. */
    protected void onRegisterWrite(int register, int value) throws IOException {
    }

    /** A raw (command) write. Default: the chip does not understand raw writes and NACKs. */
    protected void onRawWrite(byte[] data) throws IOException {
        throw new IOException("NACK: raw write not supported by fake at " + hex(address));
    }

    /** A raw read into {@code buffer}. Default: the chip NACKs. */
    protected void onRawRead(byte[] buffer) throws IOException {
        throw new IOException("NACK: raw read not supported by fake at " + hex(address));
    }

    /** The value a read of {@code register} returns after overrides; for subclasses with their own layout. */
    protected int overriddenOr(int register, int value) {
        Integer override = overrides.get(register);
        return override != null ? override : value;
    }

    private void beginOperation(String description) throws IOException {
        operations.add(description);
        if (closed) {
            throw new IOException("I2C device " + hex(address) + " is closed");
        }
        if (failForever) {
            throw new IOException("injected bus error at " + hex(address) + " (NACK)");
        }
        if (failuresLeft > 0) {
            failuresLeft--;
            throw new IOException("injected bus error at " + hex(address) + " (NACK)");
        }
    }

    /** Two-digit hex with prefix, e.g. {@code 0x76}. */
    protected static String hex(int value) {
        return String.format("0x%02X", value);
    }

    private static String hexBytes(byte[] data) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < data.length; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(String.format("0x%02X", data[i] & 0xFF));
        }
        return sb.toString();
    }
}
