package dev.fleetlet.drivers.ds18b20;

import dev.fleetlet.drivers.i2c.ContractMode;
import dev.fleetlet.drivers.i2c.Expectation;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** The DS18B20 contract against the in-memory 1-Wire sysfs. */
class Ds18b20FakeContractTest extends Ds18b20Contract {

    private static final String ID = "28-0316a2791cff";
    private final Path root = Path.of("/fake-root");
    private final FakeW1Bus bus = new FakeW1Bus(root).addSensor(ID, () -> 23.125);

    @Override
    protected Ds18b20Sensor createSensor(boolean byId) {
        return new Ds18b20Sensor(new Ds18b20Config("tank", byId ? ID : null, 0), bus, root,
                Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
    }

    @Override
    protected Ds18b20Discovery discovery() {
        return new Ds18b20Discovery(bus, root);
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
        return new Expectation("temperature", "Cel", 23.125, 0.0, 0, 50);
    }
}
