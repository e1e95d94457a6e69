package dev.fleetlet.drivers.dht22;

import dev.fleetlet.drivers.i2c.ContractMode;
import dev.fleetlet.drivers.i2c.Expectation;
import dev.fleetlet.drivers.i2c.Pause;
import dev.fleetlet.drivers.sysfs.SysfsFiles;
import dev.fleetlet.drivers.testing.MutableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The DHT22 contract on a real directory tree read through {@link SysfsFiles#SYSTEM}, next to another IIO device. */
class Dht22SysfsTreeContractTest extends Dht22Contract {

    @TempDir
    Path root;

    @BeforeEach
    void writeTree() {
        try {
            Path devices = Files.createDirectories(root.resolve("sys/bus/iio/devices"));
            Path adc = Files.createDirectories(devices.resolve("iio:device0"));
            Files.writeString(adc.resolve("name"), "ads1015\n");
            Path dht = Files.createDirectories(devices.resolve("iio:device1"));
            Files.writeString(dht.resolve("name"), "dht11@4\n");
            Files.writeString(dht.resolve("in_temp_input"), "-3200\n");
            Files.writeString(dht.resolve("in_humidityrelative_input"), "91500\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Dht22Sensor createSensor() {
        return new Dht22Sensor(Dht22Config.defaults("porch"), SysfsFiles.SYSTEM, root, new MutableClock(Instant.EPOCH), Pause.NONE);
    }

    @Override
    protected ContractMode mode() {
        return ContractMode.EXACT;
    }

    @Override
    protected List<Expectation> expectations() {
        return List.of(new Expectation("temperature", "Cel", -3.2, 1e-9, -40, 80),
                new Expectation("humidity", "%RH", 91.5, 1e-9, 0, 100));
    }
}
