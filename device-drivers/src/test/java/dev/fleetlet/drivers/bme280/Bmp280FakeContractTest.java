package dev.fleetlet.drivers.bme280;

import dev.fleetlet.drivers.i2c.ContractMode;
import dev.fleetlet.drivers.i2c.Expectation;
import dev.fleetlet.drivers.i2c.Pause;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** The same contract for a BMP280 (no humidity) in normal mode with x16 oversampling. */
class Bmp280FakeContractTest extends Bme280Contract {

    @Override
    protected Bme280Sensor createSensor() {
        FakeBme280 fake = FakeBme280.of(Bme280Config.Variant.BMP280, () -> -5.25, () -> 98_000.0, () -> 0.0);
        Bme280Config config = Bme280Config.defaults("shed", Bme280Config.Variant.BMP280)
                .withMode(Bme280Config.Mode.NORMAL)
                .withOversampling(Bme280Config.Oversampling.X2, Bme280Config.Oversampling.X16, Bme280Config.Oversampling.SKIP);
        return new Bme280Sensor(config, fake, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), Pause.NONE);
    }

    @Override
    protected ContractMode mode() {
        return ContractMode.EXACT;
    }

    @Override
    protected List<Expectation> expectations() {
        return List.of(
                new Expectation("temperature", "Cel", -5.25, 0.01, -40, 85),
                new Expectation("pressure", "Pa", 98_000.0, 0.5, 30_000, 110_000));
    }
}
