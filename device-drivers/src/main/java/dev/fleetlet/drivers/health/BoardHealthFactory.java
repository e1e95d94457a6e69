package dev.fleetlet.drivers.health;

import dev.fleetlet.drivers.Sensor;
import dev.fleetlet.drivers.config.Options;
import dev.fleetlet.drivers.config.Problems;
import dev.fleetlet.drivers.config.SensorSpec;
import dev.fleetlet.drivers.spi.DriverContext;
import dev.fleetlet.drivers.spi.SensorDriverFactory;
import java.util.Set;

/**
 * {@code board-health}: options {@code throttled} (auto|sysfs|vcgencmd|none, default auto) and
 * {@code stuckSamples} (default 60, 0 disables). Reads under the board's root; on the simulated board
 * that root is the fake sysfs tree the simulator keeps up to date.
 */
public final class BoardHealthFactory implements SensorDriverFactory {

    private final CommandRunner commands;
    private final DiskSpace disk;

    public BoardHealthFactory() {
        this(CommandRunner.PROCESS, DiskSpace.FILE_STORE);
    }

    public BoardHealthFactory(CommandRunner commands, DiskSpace disk) {
        this.commands = commands;
        this.disk = disk;
    }

    @Override
    public String type() {
        return "board-health";
    }

    @Override
    public void validate(SensorSpec spec, Problems problems) {
        options(spec, problems);
        if (spec.pin() != null || spec.bus() != null || spec.address() != null) {
            problems.add("", "board-health reads /proc and /sys; pin, bus and address do not apply");
        }
    }

    private record Parsed(BoardHealthSensor.ThrottledSource source, int stuckSamples) {
    }

    private static Parsed options(SensorSpec spec, Problems problems) {
        Options o = new Options(spec.options(), problems).allowOnly(Set.of("throttled", "stuckSamples"));
        BoardHealthSensor.ThrottledSource source = o.choice("throttled", BoardHealthSensor.ThrottledSource.class,
                BoardHealthSensor.ThrottledSource.AUTO);
        int stuck = o.integer("stuckSamples", 60, 0, 100_000);
        if (stuck == 1) {
            problems.add("options.stuckSamples", "expected 0 (off) or at least 2, got 1");
            stuck = 0;
        }
        return new Parsed(source, stuck);
    }

    @Override
    public Sensor create(SensorSpec spec, DriverContext context) {
        Problems problems = Problems.root().scoped(spec.keyPath());
        Parsed parsed = options(spec, problems);
        problems.throwIfAny();
        return new BoardHealthSensor(new BoardHealthSensor.Settings(spec.name(), context.root(), context.dataDir(),
                parsed.source(), parsed.stuckSamples()), context.clock(), commands, disk);
    }
}
