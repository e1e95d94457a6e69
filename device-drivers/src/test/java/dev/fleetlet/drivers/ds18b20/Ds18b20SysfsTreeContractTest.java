package dev.fleetlet.drivers.ds18b20;

import dev.fleetlet.drivers.i2c.ContractMode;
import dev.fleetlet.drivers.i2c.Expectation;
import dev.fleetlet.drivers.sysfs.SysfsFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The DS18B20 contract on a real directory tree read through {@link SysfsFiles#SYSTEM}. */
class Ds18b20SysfsTreeContractTest extends Ds18b20Contract {

    private static final String ID = "28-03199779f5a1";

    @TempDir
    Path root;

    @BeforeEach
    void writeTree() {
        try {
            Path devices = Files.createDirectories(root.resolve("sys/bus/w1/devices"));
            Files.createDirectories(devices.resolve("w1_bus_master1"));
            Path node = Files.createDirectories(devices.resolve(ID));
            Files.writeString(node.resolve("w1_slave"),
                    "58 01 4b 46 7f ff 08 10 8c : crc=8c YES\n58 01 4b 46 7f ff 08 10 8c t=21500\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Ds18b20Sensor createSensor(boolean byId) {
        return new Ds18b20Sensor(new Ds18b20Config("tank", byId ? ID : null, 0), SysfsFiles.SYSTEM, root,
                Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
    }

    @Override
    protected Ds18b20Discovery discovery() {
        return new Ds18b20Discovery(SysfsFiles.SYSTEM, root);
    }

    @Override
    protected String deviceId() {
        return ID;
    }

    @Override
    protected ContractMode mode() {
        return ContractMode.EXACT;
    }

    @Override
    protected Expectation expectation() {
        return new Expectation("temperature", "Cel", 21.5, 0.0, 0, 50);
    }
}
