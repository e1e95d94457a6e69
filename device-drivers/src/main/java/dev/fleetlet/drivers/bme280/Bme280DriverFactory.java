package dev.fleetlet.drivers.bme280;

import dev.fleetlet.drivers.Sensor;
import dev.fleetlet.drivers.config.Options;
import dev.fleetlet.drivers.config.Problems;
import dev.fleetlet.drivers.config.SensorSpec;
import dev.fleetlet.drivers.i2c.I2cDevice;
import dev.fleetlet.drivers.i2c.Pause;
import dev.fleetlet.drivers.spi.DriverContext;
import dev.fleetlet.drivers.spi.I2cChipFactory;
import java.time.Clock;
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
public final class Bme280DriverFactory extends I2cChipFactory<Bme280Config> {

    private static final Set<String> OPTIONS = Set.of("oversampling-temperature", "oversampling-pressure",
            "oversampling-humidity", "mode", "filter", "standby", "stuck-threshold");

    /** ADC noise of the simulated chip, in LSB (a real BME280 at x1 shows several). */
    static final double SIMULATED_NOISE_LSB = 8.0;

    private final Bme280Config.Variant variant;

    /** A factory for one chip variant; its type is the variant's name in lower case. */
    public Bme280DriverFactory(Bme280Config.Variant variant) {
        super(0x76, 0x77);
        this.variant = Objects.requireNonNull(variant, "variant");
    }

    @Override
    public String type() {
        return variant == Bme280Config.Variant.BME280 ? "bme280" : "bmp280";
    }

    @Override
    protected Sensor createSimulated(Bme280Config config, SensorSpec spec, DriverContext context) {
        FakeBme280 fake = new FakeBme280(config.address(), variant, FakeBme280.DATASHEET_CALIBRATION,
                context.requireSignals().signal(spec, "temperature"),
                context.requireSignals().signal(spec, "pressure"),
                context.requireSignals().signal(spec, "humidity"));
        fake.setAdcNoise(new java.util.Random(spec.name().hashCode()), SIMULATED_NOISE_LSB);
        return new Bme280Sensor(config, fake, context.clock(), Pause.NONE);
    }

    @Override
    protected Sensor open(Bme280Config config, I2cDevice device, Clock clock) {
        return Bme280Sensor.create(config, device, clock);
    }

    /**
     * Builds the typed config from a spec, recording each problem under its key; returns defaults
     * where a value was unusable (check {@code problems} before using the result).
     */
    @Override
    public Bme280Config config(SensorSpec spec, Problems problems) {
        Options options = new Options(spec.options(), problems).allowOnly(OPTIONS);
        int bus = bus(spec, problems);
        int address = address(spec, problems);
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
        int stuck = options.stuckThreshold(10);
        return new Bme280Config(spec.name(), bus, address, variant, t, p, h, mode, filter, standby, stuck);
    }
}
