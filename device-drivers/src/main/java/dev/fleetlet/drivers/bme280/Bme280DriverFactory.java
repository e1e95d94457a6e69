package dev.fleetlet.drivers.bme280;

import dev.fleetlet.drivers.Sensor;
import dev.fleetlet.drivers.config.Options;
import dev.fleetlet.drivers.config.Problems;
import dev.fleetlet.drivers.config.SensorSpec;
import dev.fleetlet.drivers.i2c.I2cDevice;
import dev.fleetlet.drivers.i2c.Pause;
import dev.fleetlet.drivers.i2c.Pi4jI2cDevice;
import dev.fleetlet.drivers.spi.DriverContext;
import dev.fleetlet.drivers.spi.SensorDriverFactory;
import java.util.Objects;
import java.util.Set;

/**
 * Configuration type {@code bme280} or {@code bmp280}. Keys: {@code bus} (default 1), {@code address}
 * (0x76 default, or 0x77); options {@code oversampling-temperature}, {@code oversampling-pressure},
 * {@code oversampling-humidity} ({@code skip}, {@code x1} default, {@code x2}, {@code x4}, {@code x8},
 * {@code x16}), {@code mode} ({@code forced} default, {@code normal}), {@code filter} ({@code off},
 * {@code x2}..{@code x16}), {@code standby} ({@code ms-0-5} .. {@code ms-1000}, default {@code ms-1000}),
 * {@code stuck-threshold} (default 10, 0 = off).
 */
public final class Bme280DriverFactory implements SensorDriverFactory {

    private static final Set<String> OPTIONS = Set.of("oversampling-temperature", "oversampling-pressure",
            "oversampling-humidity", "mode", "filter", "standby", "stuck-threshold");

    /** ADC noise of the simulated chip, in LSB (a real BME280 at x1 shows several). */
    static final double SIMULATED_NOISE_LSB = 8.0;

    private final Bme280Config.Variant variant;

    /** A factory for one chip variant; its type is the variant's name in lower case. */
    public Bme280DriverFactory(Bme280Config.Variant variant) {
        this.variant = Objects.requireNonNull(variant, "variant");
    }

    @Override
    public String type() {
        return variant == Bme280Config.Variant.BME280 ? "bme280" : "bmp280";
    }

    @Override
    public void validate(SensorSpec spec, Problems problems) {
        config(spec, problems);
    }

    @Override
    public Sensor create(SensorSpec spec, DriverContext context) {
        Problems problems = Problems.root().scoped(spec.keyPath());
        Bme280Config config = config(spec, problems);
        problems.throwIfAny();
        if (context.simulated()) {
            FakeBme280 fake = new FakeBme280(config.address(), variant, FakeBme280.DATASHEET_CALIBRATION,
                    context.requireSignals().signal(spec, "temperature"),
                    context.requireSignals().signal(spec, "pressure"),
                    context.requireSignals().signal(spec, "humidity"));
            fake.setAdcNoise(new java.util.Random(spec.name().hashCode()), SIMULATED_NOISE_LSB);
            return new Bme280Sensor(config, fake, context.clock(), Pause.NONE);
        }
        I2cDevice device = Pi4jI2cDevice.open(context.requirePi4j(), spec.name(), config.bus(), config.address());
        return Bme280Sensor.create(config, device, context.clock());
    }

    /**
     * Builds the typed config from a spec, recording each problem under its key; returns defaults
     * where a value was unusable (check {@code problems} before using the result).
     */
    public Bme280Config config(SensorSpec spec, Problems problems) {
        Options options = new Options(spec.options(), problems).allowOnly(OPTIONS);
        int bus = spec.bus() == null ? 1 : spec.bus();
        if (bus < 0) {
            problems.add("bus", "expected a bus number >= 0, got " + bus);
            bus = 1;
        }
        int address = spec.address() == null ? 0x76 : spec.address();
        if (address != 0x76 && address != 0x77) {
            problems.add("address", String.format("expected 0x76 or 0x77, got 0x%02X", address));
            address = 0x76;
        }
        Bme280Config.Oversampling t = options.choice("oversampling-temperature", Bme280Config.Oversampling.class,
                Bme280Config.Oversampling.X1);
        if (t == Bme280Config.Oversampling.SKIP) {
            problems.add("options.oversampling-temperature", "must not be skip: pressure and humidity need temperature");
            t = Bme280Config.Oversampling.X1;
        }
        Bme280Config.Oversampling p = options.choice("oversampling-pressure", Bme280Config.Oversampling.class,
                Bme280Config.Oversampling.X1);
        Bme280Config.Oversampling h = Bme280Config.Oversampling.SKIP;
        if (variant == Bme280Config.Variant.BME280) {
            h = options.choice("oversampling-humidity", Bme280Config.Oversampling.class, Bme280Config.Oversampling.X1);
        } else if (spec.options().containsKey("oversampling-humidity")) {
            problems.add("options.oversampling-humidity", "a bmp280 has no humidity sensor");
        }
        Bme280Config.Mode mode = options.choice("mode", Bme280Config.Mode.class, Bme280Config.Mode.FORCED);
        Bme280Config.Filter filter = options.choice("filter", Bme280Config.Filter.class, Bme280Config.Filter.OFF);
        Bme280Config.Standby standby = options.choice("standby", Bme280Config.Standby.class, Bme280Config.Standby.MS_1000);
        int stuck = options.integer("stuck-threshold", 10, 0, 1_000_000);
        if (stuck == 1) {
            problems.add("options.stuck-threshold", "expected 0 (off) or at least 2, got 1");
            stuck = 10;
        }
        return new Bme280Config(spec.name(), bus, address, variant, t, p, h, mode, filter, standby, stuck);
    }
}
