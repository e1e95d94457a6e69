package dev.fleetlet.drivers.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The whole hardware configuration of one board: which board it is and what is attached to it.
 * Immutable; produced by {@link BoardConfigParser}, which validates it completely.
 *
 * @param type      real Raspberry Pi or the simulated board
 * @param root      filesystem root under which {@code /proc} and {@code /sys} are read (default {@code /})
 * @param dataDir   the agent's data directory; board health reports its disk usage
 * @param seed      seed of the simulated signals (ignored on a real board)
 * @param sensors   sensors in configuration order, names unique
 * @param actuators actuators in configuration order, names unique
 */
public record BoardConfig(BoardType type, Path root, Path dataDir, long seed,
                          List<SensorSpec> sensors, List<ActuatorSpec> actuators) {

    public BoardConfig {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(dataDir, "dataDir");
        sensors = List.copyOf(sensors);
        actuators = List.copyOf(actuators);
    }
}
