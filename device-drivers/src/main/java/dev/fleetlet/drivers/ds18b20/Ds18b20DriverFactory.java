package dev.fleetlet.drivers.ds18b20;

import dev.fleetlet.drivers.Sensor;
import dev.fleetlet.drivers.config.Options;
import dev.fleetlet.drivers.config.Problems;
import dev.fleetlet.drivers.config.SensorSpec;
import dev.fleetlet.drivers.spi.DriverContext;
import dev.fleetlet.drivers.spi.ConfiguredSensorFactory;
import dev.fleetlet.drivers.sysfs.SysfsFiles;
import java.util.Set;

/**
 * Configuration type {@code ds18b20}. Options: {@code device-id} ({@code 28-} and 12 hex digits; when
 * absent the only DS18B20 on the bus is used) and {@code stuck-threshold} (default 0 = off). Reads
 * {@code <root>/sys/bus/w1/devices}; on the simulated board an in-memory bus with one sensor fed
 * by the {@code temperature} signal.
 */
public final class Ds18b20DriverFactory extends ConfiguredSensorFactory<Ds18b20Config> {

    /** The id the simulated board gives its sensor when none is configured. */
    public static final String SIMULATED_ID = "28-00000000f1ee";
    private static final Set<String> OPTIONS = Set.of("device-id", "stuck-threshold");

    @Override
    public String type() {
        return "ds18b20";
    }

    @Override
    protected Sensor createSimulated(Ds18b20Config config, SensorSpec spec, DriverContext context) {
        FakeW1Bus bus = new FakeW1Bus(context.root());
        bus.addSensor(config.deviceId() == null ? SIMULATED_ID : config.deviceId(),
                context.requireSignals().signal(spec, "temperature"));
        return new Ds18b20Sensor(config, bus, context.root(), context.clock());
    }

    @Override
    protected Sensor createReal(Ds18b20Config config, SensorSpec spec, DriverContext context) {
        return new Ds18b20Sensor(config, SysfsFiles.SYSTEM, context.root(), context.clock());
    }

    /** Builds the typed config, recording each problem under its key (check {@code problems} first). */
    @Override
    public Ds18b20Config config(SensorSpec spec, Problems problems) {
        Options options = new Options(spec.options(), problems).allowOnly(OPTIONS);
        String id = options.string("device-id", null);
        if (id != null && !Ds18b20Config.DEVICE_ID.matcher(id).matches()) {
            problems.add("options.device-id", "expected 28- and 12 lower-case hex digits like 28-0316a2791cff, got '" + id + "'");
            id = null;
        }
        int stuck = options.stuckThreshold(0);
        return new Ds18b20Config(spec.name(), id, stuck);
    }
}
