package dev.fleetlet.drivers.board;

import com.pi4j.context.Context;
import dev.fleetlet.drivers.Actuator;
import dev.fleetlet.drivers.Reading;
import dev.fleetlet.drivers.Sensor;
import dev.fleetlet.drivers.config.ActuatorSpec;
import dev.fleetlet.drivers.config.BoardConfig;
import dev.fleetlet.drivers.config.BoardType;
import dev.fleetlet.drivers.config.SensorSpec;
import dev.fleetlet.drivers.sampler.Sampler;
import dev.fleetlet.drivers.sim.SimulatedSignals;
import dev.fleetlet.drivers.sim.SimulatedSysfs;
import dev.fleetlet.drivers.spi.DriverContext;
import dev.fleetlet.drivers.spi.DriverRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An opened board: the Pi4J context, every configured sensor and actuator, ready for a
 * {@link Sampler}. {@link #open} is all-or-nothing: if one driver cannot be opened, everything opened so
 * far is closed again and a {@link BoardStartException} names the entry.
 *
 * <p>On the simulated board the filesystem root is a fresh temp tree kept current by
 * {@link SimulatedSysfs} (refreshed just before each board-health sample), and chip fakes and mock pins
 * follow {@link SimulatedSignals} seeded by {@code board.seed}.
 *
 * <p>{@link #close()} drives every actuator to its safe state, closes sensors, shuts Pi4J down and
 * removes the simulated tree. Idempotent.
 */
public final class Board implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Board.class);

    private final BoardConfig config;
    private final Context pi4j;
    private final ScheduledExecutorService timers;
    private final Path simulatedRoot;
    private final List<Sampler.Entry> sensors = new ArrayList<>();
    private final Map<String, Actuator> actuators = new LinkedHashMap<>();
    private boolean closed;

    private Board(BoardConfig config, Context pi4j, ScheduledExecutorService timers, Path simulatedRoot) {
        this.config = config;
        this.pi4j = pi4j;
        this.timers = timers;
        this.simulatedRoot = simulatedRoot;
    }

    public static Board open(BoardConfig config, DriverRegistry registry, Clock clock) {
        boolean sim = config.type() == BoardType.SIMULATED;
        Path simRoot = null;
        SimulatedSysfs sysfs = null;
        Path root = config.root();
        if (sim) {
            try {
                simRoot = Files.createTempDirectory("fleetlet-sim-board");
            } catch (IOException e) {
                throw new BoardStartException("cannot create the simulated board's sysfs tree: " + e.getMessage(), e);
            }
            sysfs = new SimulatedSysfs(simRoot, config.seed(), clock);
            root = simRoot;
        }
        Context pi4j = Pi4jContexts.open(config.type(), sim ? simRoot : config.root());
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fleetlet-actuator-timers");
            t.setDaemon(true);
            return t;
        });
        Path dataDir = sim && !Files.isDirectory(config.dataDir()) ? simRoot : config.dataDir();
        DriverContext context = new DriverContext(config.type(), pi4j, root, dataDir, clock, timers,
                sim ? new SimulatedSignals(config.seed(), clock) : null);
        Board board = new Board(config, pi4j, timers, simRoot);
        String current = "board";
        try {
            for (SensorSpec spec : config.sensors()) {
                current = spec.keyPath();
                Sensor sensor = registry.sensor(spec.type())
                        .orElseThrow(() -> new IllegalStateException("no driver for type " + spec.type()))
                        .create(spec, context);
                if (sim && spec.type().equals("board-health")) {
                    sensor = refreshing(sensor, sysfs);
                }
                board.sensors.add(new Sampler.Entry(spec, sensor));
            }
            for (ActuatorSpec spec : config.actuators()) {
                current = spec.keyPath();
                Actuator actuator = registry.actuator(spec.type())
                        .orElseThrow(() -> new IllegalStateException("no driver for type " + spec.type()))
                        .create(spec, context);
                board.actuators.put(spec.name(), actuator);
            }
        } catch (RuntimeException e) {
            board.close();
            if (e instanceof BoardStartException bse) {
                throw bse;
            }
            throw new BoardStartException(current + ": cannot open driver: " + e.getMessage(), e);
        }
        log.info("board opened type={} sensors={} actuators={}", config.type().code(), board.sensors.size(),
                board.actuators.size());
        return board;
    }

    private static Sensor refreshing(Sensor sensor, SimulatedSysfs sysfs) {
        return new Sensor() {
            @Override
            public String name() {
                return sensor.name();
            }

            @Override
            public List<Reading> sample() {
                try {
                    sysfs.refresh();
                } catch (RuntimeException e) {
                    log.debug("simulated sysfs refresh failed error={}", e.toString());
                }
                return sensor.sample();
            }

            @Override
            public void close() {
                sensor.close();
            }
        };
    }

    public BoardConfig config() {
        return config;
    }

    /** The sensors with their specs, in configuration order; hand them to a {@link Sampler}. */
    public List<Sampler.Entry> sensors() {
        return List.copyOf(sensors);
    }

    /** Actuators by name, in configuration order. */
    public Map<String, Actuator> actuators() {
        return Map.copyOf(actuators);
    }

    public Context pi4j() {
        return pi4j;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        actuators.values().forEach(a -> quietly(a::close, "actuator " + a.name()));
        sensors.forEach(e -> quietly(e.sensor()::close, "sensor " + e.spec().name()));
        timers.shutdownNow();
        quietly(pi4j::shutdown, "pi4j");
        if (simulatedRoot != null) {
            try (Stream<Path> walk = Files.walk(simulatedRoot)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                log.debug("cannot remove simulated tree root={} error={}", simulatedRoot, e.toString());
            }
        }
    }

    private static void quietly(Runnable r, String what) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.warn("close failed what={} error={}", what, e.toString());
        }
    }
}
