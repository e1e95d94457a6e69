package dev.fleetlet.drivers.bme280;

import dev.fleetlet.drivers.i2c.ContractMode;
import dev.fleetlet.drivers.i2c.Expectation;
import dev.fleetlet.drivers.i2c.Pause;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** The BME280 contract against the register-map fake, with exact values. */
class Bme280FakeContractTest extends Bme280Contract {

    @Override
    protected Bme280Sensor createSensor() {
        FakeBme280 fake = FakeBme280.of(Bme280Config.Variant.BME280, () -> 21.5, () -> 101_325.0, () -> 45.0);
        return new Bme280Sensor(Bme280Config.defaults("greenhouse", Bme280Config.Variant.BME280), fake,
                Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), Pause.NONE);
    }

    @Override
    protected ContractMode mode() {
        return ContractMode.EXACT;
    }

    @Override
    protected List<Expectation> expectations() {
        // tolerances: one ADC step (T ≈ 0.0013 °C... P ≈ 0.2 Pa, H ≈ 0.01 %RH) with margin
        return List.of(
                new Expectation("temperature", "Cel", 21.5, 0.01, -40, 85),
                new Expectation("pressure", "Pa", 101_325.0, 0.5, 30_000, 110_000),
                new Expectation("humidity", "%RH", 45.0, 0.02, 0, 100));
    }
}
