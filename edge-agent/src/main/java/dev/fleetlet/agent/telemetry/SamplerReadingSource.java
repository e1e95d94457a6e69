package dev.fleetlet.agent.telemetry;

import dev.fleetlet.drivers.Actuator;
import dev.fleetlet.drivers.board.Board;
import dev.fleetlet.drivers.config.BoardConfig;
import dev.fleetlet.drivers.config.BoardConfigParser;
import dev.fleetlet.drivers.sampler.Sampler;
import dev.fleetlet.drivers.spi.DriverRegistry;
import dev.fleetlet.protocol.message.Reading;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Readings from the board described by the config's {@code hardware} subtree: device-drivers parses it
 * ({@link BoardConfigParser}, errors name the key path), opens the board and samples every sensor at its
 * own interval; each reading is converted with {@link DriverReadings}.
 */
public final class SamplerReadingSource implements ReadingSource {

    private final Board board;
    private final Clock clock;
    private Sampler sampler;

    private SamplerReadingSource(Board board, Clock clock) {
        this.board = board;
        this.clock = clock;
    }

    /**
     * @throws dev.fleetlet.drivers.config.ConfigException when the hardware section is invalid
     */
    public static SamplerReadingSource open(String hardwareYaml, Clock clock) {
        DriverRegistry registry = DriverRegistry.standard();
        BoardConfig config = new BoardConfigParser(registry).parse(hardwareYaml);
        return new SamplerReadingSource(Board.open(config, registry, clock), clock);
    }

    /** The board's configured actuators by name (the identify command blinks one of them). */
    public Map<String, Actuator> actuators() {
        return board.actuators();
    }

    @Override
    public synchronized void start(Consumer<List<Reading>> sink) {
        sampler = new Sampler(board.sensors(), r -> sink.accept(List.of(DriverReadings.toProtocol(r))), clock);
        sampler.start();
    }

    @Override
    public synchronized void close() {
        if (sampler != null) {
            sampler.close();
        }
        board.close();
    }
}
