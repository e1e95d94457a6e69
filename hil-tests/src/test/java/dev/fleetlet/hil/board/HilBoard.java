package dev.fleetlet.hil.board;

import com.pi4j.context.Context;
import dev.fleetlet.drivers.Sensor;
import dev.fleetlet.drivers.board.Board;
import dev.fleetlet.drivers.board.Pi4jContexts;
import dev.fleetlet.drivers.config.ActuatorSpec;
import dev.fleetlet.drivers.config.BoardConfig;
import dev.fleetlet.drivers.config.BoardConfigParser;
import dev.fleetlet.drivers.config.BoardType;
import dev.fleetlet.drivers.config.SensorSpec;
import dev.fleetlet.drivers.sampler.Sampler;
import dev.fleetlet.drivers.spi.DriverRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Assertions;

/**
 * The real Raspberry Pi under a {@code *HilTest}: the board configuration named by
 * {@code -Dfleetlet.hil.board.config}, parsed and validated by device-drivers' own
 * {@link BoardConfigParser}, and opened through {@link Board#open} / {@link Pi4jContexts#open} with
 * {@code board.type: pi} (gpiod and linuxfs providers; a mock provider or a non-Pi is refused).
 *
 * <p>Each test opens only the entries it needs ({@link #openSensor}), so two tests never hold the
 * same pin or bus address; {@link #close()} closes everything opened since the last close (actuators
 * to their safe state first).
 *
 * <p>Without {@code -Dfleetlet.hil.board=pi} and the config property, {@link #require} fails the test
 * (never skips it), so a green run always means the drivers touched real hardware.
 */
final class HilBoard implements AutoCloseable {

    static final String BOARD_PROPERTY = "fleetlet.hil.board";
    static final String CONFIG_PROPERTY = "fleetlet.hil.board.config";
    /** Start of the failure message when the properties are missing; README and tests refer to it. */
    static final String NOT_ON_HARDWARE = "hardware-in-the-loop test without hardware";
    static final String HOW_TO_RUN = "run it on a wired Raspberry Pi with ./mvnw -B -ntp -Phil-board -pl hil-tests -am verify"
            + " -Dfleetlet.hil.board=pi -Dfleetlet.hil.board.config=/etc/fleetlet/hil-board.yml"
            + " (see hil-tests/README.md, \"Running the driver contracts on a real Raspberry Pi\")";

    private final BoardConfig config;
    private final Path file;
    private final List<AutoCloseable> opened = new ArrayList<>();

    private HilBoard(BoardConfig config, Path file) {
        this.config = config;
        this.file = file;
    }

    /** {@link #require(UnaryOperator)} over the JVM's system properties. */
    static HilBoard requireFromSystemProperties() {
        return require(System::getProperty);
    }

    /**
     * The configured real board, or a failed assertion naming what is missing: the board property must
     * be {@code pi}, the config property must name a readable, valid file with {@code board.type: pi}.
     */
    static HilBoard require(UnaryOperator<String> properties) {
        String board = properties.apply(BOARD_PROPERTY);
        if (!"pi".equals(board)) {
            throw Assertions.<AssertionError>fail(NOT_ON_HARDWARE + ": -D" + BOARD_PROPERTY + "=pi is not set (got "
                    + (board == null ? "nothing" : "'" + board + "'") + "); " + HOW_TO_RUN
                    + ". This test fails rather than skips so that no green run is mistaken for a hardware run.");
        }
        String path = properties.apply(CONFIG_PROPERTY);
        if (path == null || path.isBlank()) {
            throw Assertions.<AssertionError>fail(NOT_ON_HARDWARE + ": -D" + CONFIG_PROPERTY
                    + " is not set; give the board file (example: hil-tests/src/test/resources/hil-board.example.yml); "
                    + HOW_TO_RUN);
        }
        Path file = Path.of(path);
        BoardConfig config = load(file);
        if (config.type() != BoardType.PI) {
            throw Assertions.<AssertionError>fail(file + ": board.type must be pi for a hardware-in-the-loop run, got "
                    + config.type().code());
        }
        return new HilBoard(config, file);
    }

    /**
     * Parses and validates a board file with device-drivers' parser and standard drivers.
     *
     * @throws dev.fleetlet.drivers.config.ConfigException listing every problem with its key path
     */
    static BoardConfig load(Path file) {
        return new BoardConfigParser(DriverRegistry.standard()).parse(file);
    }

    BoardConfig config() {
        return config;
    }

    /** The first sensor of {@code type} in the board file; fails naming the file when there is none. */
    SensorSpec sensorOfType(String type) {
        return config.sensors().stream().filter(s -> s.type().equals(type)).findFirst()
                .orElseThrow(() -> Assertions.<AssertionError>fail(file + " has no sensor of type " + type
                        + "; add one as in hil-board.example.yml"));
    }

    /** The actuator called {@code name}; fails naming the file when there is none. */
    ActuatorSpec actuatorNamed(String name) {
        return config.actuators().stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> Assertions.<AssertionError>fail(file + " has no actuator named " + name
                        + "; add one as in hil-board.example.yml"));
    }

    /** The sensor called {@code name}; fails naming the file when there is none. */
    SensorSpec sensorNamed(String name) {
        return config.sensors().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> Assertions.<AssertionError>fail(file + " has no sensor named " + name
                        + "; add one as in hil-board.example.yml"));
    }

    /** Opens a board holding only {@code spec} and returns its driver, which must be a {@code type}. */
    <T extends Sensor> T openSensor(SensorSpec spec, Class<T> type) {
        Board board = Board.open(new BoardConfig(BoardType.PI, config.root(), config.dataDir(), config.seed(),
                List.of(spec), List.of()), DriverRegistry.standard(), Clock.systemUTC());
        opened.add(board);
        Sampler.Entry entry = board.sensors().get(0);
        if (!type.isInstance(entry.sensor())) {
            throw Assertions.<AssertionError>fail(spec.keyPath() + ": expected a " + type.getSimpleName() + " driver, got "
                    + entry.sensor().getClass().getName());
        }
        return type.cast(entry.sensor());
    }

    /** A Pi4J context for the configured board (gpiod + linuxfs), closed by {@link #close()}. */
    Context pi4j() {
        Context context = Pi4jContexts.open(BoardType.PI, config.root());
        opened.add(context::shutdown);
        return context;
    }

    /** A timer thread for actuator pulses, shut down by {@link #close()}. */
    ScheduledExecutorService timers() {
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hil-actuator-timers");
            t.setDaemon(true);
            return t;
        });
        opened.add(timers::shutdownNow);
        return timers;
    }

    /** BCM pin of the jig's input (the {@code button} entry), looped back from {@link #loopbackOutputPin()}. */
    int loopbackInputPin() {
        SensorSpec button = sensorNamed("button");
        if (button.pin() == null) {
            throw Assertions.<AssertionError>fail(button.keyPath() + ".pin: required for the loopback jig");
        }
        return button.pin();
    }

    /** BCM pin of the jig's output (the {@code led} entry), wired to {@link #loopbackInputPin()} through a resistor. */
    int loopbackOutputPin() {
        return actuatorNamed("led").pin();
    }

    /** Registers an actuator or sensor opened directly on {@link #pi4j()} to be closed first. */
    <T extends AutoCloseable> T track(T resource) {
        opened.add(resource);
        return resource;
    }

    /** Closes what was opened, newest first (drivers before their Pi4J context). */
    @Override
    public void close() {
        List<Throwable> errors = new ArrayList<>();
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                errors.add(e);
            }
        }
        opened.clear();
        if (!errors.isEmpty()) {
            AssertionError error = new AssertionError("closing the hardware-in-the-loop board failed: " + errors.get(0));
            errors.forEach(error::addSuppressed);
            throw error;
        }
    }
}
