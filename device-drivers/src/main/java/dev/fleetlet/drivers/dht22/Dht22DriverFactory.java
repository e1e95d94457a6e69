package dev.fleetlet.drivers.dht22;

import dev.fleetlet.drivers.Sensor;
import dev.fleetlet.drivers.config.Options;
import dev.fleetlet.drivers.config.Problems;
import dev.fleetlet.drivers.config.SensorSpec;
import dev.fleetlet.drivers.i2c.Pause;
import dev.fleetlet.drivers.spi.DriverContext;
import dev.fleetlet.drivers.spi.ConfiguredSensorFactory;
import dev.fleetlet.drivers.sysfs.SysfsFiles;
import java.time.Duration;
import java.util.Set;

/**
 * Configuration type {@code dht22}. Options: {@code device} ({@code iio:deviceN}; default: the dht11 IIO
 * device found by its {@code name}), {@code attempts} (1..10, default 3), {@code retry-backoff} (default
 * 500ms), {@code min-interval} (at least and default 2s), {@code stuck-threshold} (default 0 = off).
 * Needs {@code dtoverlay=dht11,gpiopin=N} on the board; the {@code pin} key is not used by this driver.
 */
public final class Dht22DriverFactory extends ConfiguredSensorFactory<Dht22Config> {

    private static final Set<String> OPTIONS = Set.of("device", "attempts", "retry-backoff", "min-interval", "stuck-threshold");

    @Override
    public String type() {
        return "dht22";
    }

    @Override
    protected Sensor createSimulated(Dht22Config config, SensorSpec spec, DriverContext context) {
        FakeIioDht fake = new FakeIioDht(context.root(), config.device() == null ? "iio:device0" : config.device(),
                context.requireSignals().signal(spec, "temperature"), context.requireSignals().signal(spec, "humidity"));
        return new Dht22Sensor(config, fake, context.root(), context.clock(), Pause.NONE);
    }

    @Override
    protected Sensor createReal(Dht22Config config, SensorSpec spec, DriverContext context) {
        return new Dht22Sensor(config, SysfsFiles.SYSTEM, context.root(), context.clock(), Pause.SLEEP);
    }

    /** Builds the typed config, recording each problem under its key (check {@code problems} first). */
    @Override
    public Dht22Config config(SensorSpec spec, Problems problems) {
        Options options = new Options(spec.options(), problems).allowOnly(OPTIONS);
        String device = options.string("device", null);
        if (device != null && !Dht22Config.DEVICE.matcher(device).matches()) {
            problems.add("options.device", "expected iio:deviceN, got '" + device + "'");
            device = null;
        }
        int attempts = options.integer("attempts", 3, 1, 10);
        Duration backoff = options.duration("retry-backoff", Duration.ofMillis(500));
        Duration minInterval = options.duration("min-interval", Dht22Config.SENSOR_MIN_INTERVAL);
        if (minInterval.compareTo(Dht22Config.SENSOR_MIN_INTERVAL) < 0) {
            problems.add("options.min-interval", "expected at least 2s (the DHT22 cannot be read faster), got " + minInterval.toMillis() + "ms");
            minInterval = Dht22Config.SENSOR_MIN_INTERVAL;
        }
        int stuck = options.stuckThreshold(0);
        return new Dht22Config(spec.name(), device, attempts, backoff, minInterval, stuck);
    }
}
