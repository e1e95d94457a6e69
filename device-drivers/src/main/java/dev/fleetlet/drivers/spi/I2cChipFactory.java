package dev.fleetlet.drivers.spi;

import dev.fleetlet.drivers.Sensor;
import dev.fleetlet.drivers.config.Problems;
import dev.fleetlet.drivers.config.SensorSpec;
import dev.fleetlet.drivers.i2c.I2cDevice;
import dev.fleetlet.drivers.i2c.Pi4jI2cDevice;
import java.time.Clock;

/**
 * Base for the factory of one I2C chip: checks the {@code bus} key (default 1, at least 0) and the
 * {@code address} key against the chip's address range (default: its first address), and on a real
 * board opens the {@link I2cDevice} through the context's Pi4J context before handing it to the driver.
 * A subclass keeps its options, its fake and its driver's constructor.
 *
 * @param <C> the chip's validated config
 */
public abstract class I2cChipFactory<C extends I2cChipConfig> extends ConfiguredSensorFactory<C> {

    private final int firstAddress;
    private final int lastAddress;

    /**
     * @param firstAddress the chip's default and lowest address
     * @param lastAddress  its highest address (strap-selectable addresses lie in between)
     */
    protected I2cChipFactory(int firstAddress, int lastAddress) {
        if (lastAddress < firstAddress) {
            throw new IllegalArgumentException("lastAddress below firstAddress");
        }
        this.firstAddress = firstAddress;
        this.lastAddress = lastAddress;
    }

    /** The {@code bus} key: 1 when absent; a negative number is reported under {@code bus} and read as 1. */
    protected static int bus(SensorSpec spec, Problems problems) {
        int bus = spec.bus() == null ? 1 : spec.bus();
        if (bus < 0) {
            problems.add("bus", "expected a bus number >= 0, got " + bus);
            bus = 1;
        }
        return bus;
    }

    /**
     * The {@code address} key: the first address when absent; one outside the chip's range is reported
     * under {@code address} and read as the first address.
     */
    protected final int address(SensorSpec spec, Problems problems) {
        int address = spec.address() == null ? firstAddress : spec.address();
        if (address < firstAddress || address > lastAddress) {
            String expected = lastAddress == firstAddress + 1
                    ? String.format("0x%02X or 0x%02X", firstAddress, lastAddress)
                    : String.format("0x%02X..0x%02X", firstAddress, lastAddress);
            problems.add("address", String.format("expected %s, got 0x%02X", expected, address));
            address = firstAddress;
        }
        return address;
    }

    @Override
    protected final Sensor createReal(C config, SensorSpec spec, DriverContext context) {
        I2cDevice device = Pi4jI2cDevice.open(context.requirePi4j(), spec.name(), config.bus(), config.address());
        return open(config, device, context.clock());
    }

    /** The real driver on an opened device. */
    protected abstract Sensor open(C config, I2cDevice device, Clock clock);
}
