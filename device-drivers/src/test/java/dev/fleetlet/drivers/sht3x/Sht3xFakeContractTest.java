package dev.fleetlet.drivers.sht3x;

import dev.fleetlet.drivers.i2c.ContractMode;
import dev.fleetlet.drivers.i2c.Expectation;
import dev.fleetlet.drivers.i2c.Pause;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

class Sht3xFakeContractTest extends Sht3xContract {

    @Override
    protected Sht3xSensor createSensor() {
        FakeSht3x fake = new FakeSht3x(0x44, () -> 23.4, () -> 61.2);
        return new Sht3xSensor(Sht3xConfig.defaults("bedroom"), fake, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), Pause.NONE);
    }

    @Override
    protected ContractMode mode() {
        return ContractMode.EXACT;
    }

    @Override
    protected List<Expectation> expectations() {
        // half a raw step: 0.0013 °C and 0.0008 %RH
        return List.of(new Expectation("temperature", "Cel", 23.4, 0.0014, -10, 45),
                new Expectation("humidity", "%RH", 61.2, 0.0008, 0, 100));
    }
}
