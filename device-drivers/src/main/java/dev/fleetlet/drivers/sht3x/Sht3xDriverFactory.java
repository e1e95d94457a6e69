package dev.fleetlet.drivers.sht3x;

import dev.fleetlet.drivers.Sensor;
import dev.fleetlet.drivers.config.Options;
import dev.fleetlet.drivers.config.Problems;
import dev.fleetlet.drivers.config.SensorSpec;
import dev.fleetlet.drivers.i2c.I2cDevice;
import dev.fleetlet.drivers.i2c.Pause;
import dev.fleetlet.drivers.spi.DriverContext;
import dev.fleetlet.drivers.spi.I2cChipFactory;
import java.time.Clock;
import java.util.Set;

/**
 * Configuration type {@code sht3x}. Keys: {@code bus} (default 1), {@code address} (0x44 default or
 * 0x45); options {@code repeatability} ({@code high} default, {@code medium}, {@code low}) and
 * {@code stuck-threshold} (default 10, 0 = off).
 */
public final class Sht3xDriverFactory extends I2cChipFactory<Sht3xConfig> {

    /** Raw noise of the simulated chip in steps; a real one at high repeatability is noisier (0.04 °C ≈ 15 steps). */
    static final double SIMULATED_NOISE_LSB = 8.0;

    private static final Set<String> OPTIONS = Set.of("repeatability", "stuck-threshold");

    public Sht3xDriverFactory() {
        super(0x44, 0x45);
    }

    @Override
    public String type() {
        return "sht3x";
    }

    @Override
    protected Sensor createSimulated(Sht3xConfig config, SensorSpec spec, DriverContext context) {
        FakeSht3x fake = new FakeSht3x(config.address(), context.requireSignals().signal(spec, "temperature"),
                context.requireSignals().signal(spec, "humidity"));
        fake.setNoise(new java.util.Random(spec.name().hashCode()), SIMULATED_NOISE_LSB);
        return new Sht3xSensor(config, fake, context.clock(), Pause.NONE);
    }

    @Override
    protected Sensor open(Sht3xConfig config, I2cDevice device, Clock clock) {
        return Sht3xSensor.create(config, device, clock);
    }

    /** Builds the typed config, recording each problem under its key (check {@code problems} first). */
    @Override
    public Sht3xConfig config(SensorSpec spec, Problems problems) {
        Options options = new Options(spec.options(), problems).allowOnly(OPTIONS);
        int bus = bus(spec, problems);
        int address = address(spec, problems);
        Sht3xConfig.Repeatability repeatability = options.choice("repeatability", Sht3xConfig.Repeatability.class,
                Sht3xConfig.Repeatability.HIGH);
        int stuck = options.stuckThreshold(10);
        return new Sht3xConfig(spec.name(), bus, address, repeatability, stuck);
    }
}
