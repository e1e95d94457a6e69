package dev.fleetlet.drivers.dht22;

import dev.fleetlet.drivers.i2c.ContractMode;
import dev.fleetlet.drivers.i2c.Expectation;
import dev.fleetlet.drivers.i2c.Pause;
import dev.fleetlet.drivers.testing.MutableClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

class Dht22FakeContractTest extends Dht22Contract {

    @Override
    protected Dht22Sensor createSensor() {
        Path root = Path.of("/fake-root");
        FakeIioDht fake = new FakeIioDht(root, "iio:device0", () -> 22.3, () -> 48.7);
        return new Dht22Sensor(Dht22Config.defaults("porch"), fake, root, new MutableClock(Instant.EPOCH), Pause.NONE);
    }

    @Override
    protected ContractMode mode() {
        return ContractMode.EXACT;
    }

    @Override
    protected List<Expectation> expectations() {
        return List.of(new Expectation("temperature", "Cel", 22.3, 1e-9, -10, 45),
                new Expectation("humidity", "%RH", 48.7, 1e-9, 5, 95));
    }
}
