package dev.fleetlet.drivers.ads1115;

import dev.fleetlet.drivers.Sensor;
import dev.fleetlet.drivers.config.Options;
import dev.fleetlet.drivers.config.Problems;
import dev.fleetlet.drivers.config.SensorSpec;
import dev.fleetlet.drivers.i2c.I2cDevice;
import dev.fleetlet.drivers.i2c.Pause;
import dev.fleetlet.drivers.spi.DriverContext;
import dev.fleetlet.drivers.spi.I2cChipFactory;
import java.time.Clock;
import dev.fleetlet.drivers.spi.SignalSource;
import java.util.List;
import java.util.Set;

/**
 * Configuration type {@code ads1115}: one channel per sensor entry. Keys: {@code bus} (default 1),
 * {@code address} (0x48 default .. 0x4B); options {@code channel} ({@code ain0} default .. {@code ain3},
 * {@code ain0-ain1}, {@code ain0-ain3}, {@code ain1-ain3}, {@code ain2-ain3}), {@code gain}
 * ({@code fs-6-144v}, {@code fs-4-096v} default, {@code fs-2-048v}, {@code fs-1-024v}, {@code fs-0-512v},
 * {@code fs-0-256v}), {@code data-rate} ({@code sps-8} .. {@code sps-860}, default {@code sps-128}),
 * {@code quantity} (default {@code voltage}), {@code stuck-threshold} (default 0 = off). Linear scaling:
 * {@code unit}, {@code scale-volts-a}, {@code scale-value-a}, {@code scale-volts-b}, {@code scale-value-b}
 * (all required together), optional {@code min}/{@code max} plausible range.
 */
public final class Ads1115DriverFactory extends I2cChipFactory<Ads1115Config> {

    private static final Set<String> OPTIONS = Set.of("channel", "gain", "data-rate", "quantity", "unit",
            "scale-volts-a", "scale-value-a", "scale-volts-b", "scale-value-b", "min", "max", "stuck-threshold");
    private static final Set<String> SCALING = Set.of("unit", "scale-volts-a", "scale-value-a", "scale-volts-b", "scale-value-b");

    public Ads1115DriverFactory() {
        super(0x48, 0x4B);
    }

    @Override
    public String type() {
        return "ads1115";
    }

    @Override
    protected Sensor createSimulated(Ads1115Config config, SensorSpec spec, DriverContext context) {
        SignalSource signals = context.requireSignals();
        FakeAds1115 fake = new FakeAds1115(config.address(), signals.signal(spec, "voltage0"),
                signals.signal(spec, "voltage1"), signals.signal(spec, "voltage2"), signals.signal(spec, "voltage3"));
        return new Ads1115Sensor(config, fake, context.clock(), Pause.NONE);
    }

    @Override
    protected Sensor open(Ads1115Config config, I2cDevice device, Clock clock) {
        return Ads1115Sensor.create(config, device, clock);
    }

    /** Builds the typed config, recording each problem under its key (check {@code problems} first). */
    @Override
    public Ads1115Config config(SensorSpec spec, Problems problems) {
        Options options = new Options(spec.options(), problems).allowOnly(OPTIONS);
        int bus = bus(spec, problems);
        int address = address(spec, problems);
        Ads1115Config.Mux mux = options.choice("channel", Ads1115Config.Mux.class, Ads1115Config.Mux.AIN0);
        Ads1115Config.Gain gain = options.choice("gain", Ads1115Config.Gain.class, Ads1115Config.Gain.FS_4_096V);
        Ads1115Config.DataRate rate = options.choice("data-rate", Ads1115Config.DataRate.class, Ads1115Config.DataRate.SPS_128);
        String quantity = options.string("quantity", "voltage");
        if (quantity.isBlank()) {
            problems.add("options.quantity", "must not be blank");
            quantity = "voltage";
        }
        Ads1115Config.Scaling scaling = null;
        long given = SCALING.stream().filter(spec.options()::containsKey).count();
        if (given > 0 && given < SCALING.size()) {
            problems.add("options", "scaling needs all of " + SCALING.stream().sorted().toList() + ", missing "
                    + SCALING.stream().filter(k -> !spec.options().containsKey(k)).sorted().toList());
        } else if (given == SCALING.size()) {
            double va = options.number("scale-volts-a", 0, -6.144, 6.144);
            double a = options.number("scale-value-a", 0, -1e9, 1e9);
            double vb = options.number("scale-volts-b", 1, -6.144, 6.144);
            double b = options.number("scale-value-b", 1, -1e9, 1e9);
            double min = options.number("min", Double.NEGATIVE_INFINITY, -1e12, 1e12);
            double max = options.number("max", Double.POSITIVE_INFINITY, -1e12, 1e12);
            if (va == vb) {
                problems.add("options.scale-volts-b", "must differ from scale-volts-a, both are " + va);
            } else if (min > max) {
                problems.add("options.max", "must be >= min " + min + ", got " + max);
            } else {
                scaling = new Ads1115Config.Scaling(options.string("unit", "V"), va, a, vb, b, min, max);
            }
        }
        int stuck = options.stuckThreshold(0);
        return new Ads1115Config(spec.name(), bus, address,
                List.of(new Ads1115Config.Channel(quantity, mux, gain, rate, scaling)), stuck);
    }
}
