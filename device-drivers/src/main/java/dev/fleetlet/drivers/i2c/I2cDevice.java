package dev.fleetlet.drivers.i2c;

import java.io.IOException;

/**
 * The port for one chip on an I2C bus: what the Fleetlet chip drivers need, and nothing more.
 *
 * <p>All bytes are unsigned: {@link #readRegister(int)} returns 0..255, and block reads fill the
 * caller's array completely or throw. Every method throws {@link IOException} for a bus fault (NACK,
 * arbitration loss, a short transfer, a closed device): drivers turn that into a failed reading and
 * try again on the next sample. Register numbers are 0..255; a value outside that range is a
 * programming error and throws {@link IllegalArgumentException}.
 *
 * <p>Implementations: {@link Pi4jI2cDevice} over Pi4J on a board, {@link RegisterMapI2cDevice} for
 * tests and the simulated board. Not thread-safe; one driver owns one device.
 */
public interface I2cDevice extends AutoCloseable {

    /** The 7-bit address of the chip, for log lines and reasons. */
    int address();

    /** Reads one register as an unsigned byte (0..255). */
    int readRegister(int register) throws IOException;

    /** Writes one register; only the low 8 bits of {@code value} are sent. */
    void writeRegister(int register, int value) throws IOException;

    /**
     * Reads {@code buffer.length} bytes starting at {@code register} in one transaction (the chip
     * auto-increments or, for 16-bit register chips, returns the register's bytes in order).
     */
    void readBlock(int register, byte[] buffer) throws IOException;

    /** Writes {@code data} starting at {@code register} in one transaction. */
    void writeBlock(int register, byte[] data) throws IOException;

    /** Writes raw bytes without a register address (command-based chips such as the SHT3x). */
    void write(byte[] data) throws IOException;

    /** Reads {@code buffer.length} raw bytes without sending a register address first. */
    void read(byte[] buffer) throws IOException;

    /** Releases the bus handle. Idempotent; later calls throw {@link IOException}. */
    @Override
    void close();

    /** Checks a register number, for implementations. */
    static int checkRegister(int register) {
        if (register < 0 || register > 0xFF) {
            throw new IllegalArgumentException("register must be within 0x00..0xFF, was " + register);
        }
        return register;
    }
}
