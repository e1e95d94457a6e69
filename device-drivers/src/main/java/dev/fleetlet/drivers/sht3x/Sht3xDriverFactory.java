package dev.fleetlet.drivers.sht3x;

import dev.fleetlet.drivers.Sensor;
import dev.fleetlet.drivers.config.Options;
import dev.fleetlet.drivers.config.Problems;
import dev.fleetlet.drivers.config.SensorSpec;
import dev.fleetlet.drivers.i2c.I2cDevice;
import dev.fleetlet.drivers.i2c.Pause;
import dev.fleetlet.drivers.i2c.Pi4jI2cDevice;
import dev.fleetlet.drivers.spi.DriverContext;
import dev.fleetlet.drivers.spi.SensorDriverFactory;
import java.util.Set;

/**
 * Configuration type {@code sht3x}. Keys: {@code bus} (default 1), {@code address} (0x44 default or
 * 0x45); options {@code repeatability} ({@code high} default, {@code medium}, {@code low}) and
 * {@code stuck-threshold} (default 10, 0 = off).
 */
public final class Sht3xDriverFactory implements SensorDriverFactory {

    /** Raw noise of the simulated chip in steps; a real one at high repeatability is noisier (0.04 °C ≈ 15 steps). */
    static final double SIMULATED_NOISE_LSB = 8.0;

    private static final Set<String> OPTIONS = Set.of("repeatability", "stuck-threshold");

    @Override
    public String type() {
        return "sht3x";
    }

    @Override
    public void validate(SensorSpec spec, Problems problems) {
        config(spec, problems);
    }

    @Override
    public Sensor create(SensorSpec spec, DriverContext context) {
        Problems problems = Problems.root().scoped(spec.keyPath());
        Sht3xConfig config = config(spec, problems);
        problems.throwIfAny();
        if (context.simulated()) {
            FakeSht3x fake = new FakeSht3x(config.address(), context.requireSignals().signal(spec, "temperature"),
                    context.requireSignals().signal(spec, "humidity"));
            fake.setNoise(new java.util.Random(spec.name().hashCode()), SIMULATED_NOISE_LSB);
            return new Sht3xSensor(config, fake, context.clock(), Pause.NONE);
        }
        I2cDevice device = Pi4jI2cDevice.open(context.requirePi4j(), spec.name(), config.bus(), config.address());
        return Sht3xSensor.create(config, device, context.clock());
    }

    /** Builds the typed config, recording each problem under its key (check {@code problems} first). */
    public Sht3xConfig config(SensorSpec spec, Problems problems) {
        Options options = new Options(spec.options(), problems).allowOnly(OPTIONS);
        int bus = spec.bus() == null ? 1 : spec.bus();
        if (bus < 0) {
            problems.add("bus", "expected a bus number >= 0, got " + bus);
            bus = 1;
        }
        int address = spec.address() == null ? 0x44 : spec.address();
        if (address != 0x44 && address != 0x45) {
            problems.add("address", String.format("expected 0x44 or 0x45, got 0x%02X", address));
            address = 0x44;
        }
        Sht3xConfig.Repeatability repeatability = options.choice("repeatability", Sht3xConfig.Repeatability.class,
                Sht3xConfig.Repeatability.HIGH);
        int stuck = options.integer("stuck-threshold", 10, 0, 1_000_000);
        if (stuck == 1) {
            problems.add("options.stuck-threshold", "expected 0 (off) or at least 2, got 1");
            stuck = 10;
        }
        return new Sht3xConfig(spec.name(), bus, address, repeatability, stuck);
    }
}
