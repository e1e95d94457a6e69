package dev.fleetlet.drivers.spi;

import com.pi4j.context.Context;
import dev.fleetlet.drivers.config.BoardType;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What a driver factory may use to open a driver.
 *
 * @param boardType the configured board; {@link BoardType#SIMULATED} means fakes must be wired
 * @param pi4j      the explicitly built Pi4J context (mock providers on the simulated board)
 * @param root      filesystem root for sysfs/proc drivers ({@code /} on a real board, a fake tree otherwise)
 * @param dataDir   the agent's data directory
 * @param clock     the clock for reading timestamps and debouncing
 * @param scheduler a shared single-thread scheduler for timed actions (pulse off); never block on it
 * @param signals   the simulated signals; only meaningful when {@link #simulated()}
 */
public record DriverContext(BoardType boardType, Context pi4j, Path root, Path dataDir, Clock clock,
                            ScheduledExecutorService scheduler, SignalSource signals) {

    public DriverContext {
        Objects.requireNonNull(boardType, "boardType");
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(clock, "clock");
    }

    public boolean simulated() {
        return boardType == BoardType.SIMULATED;
    }

    /** The Pi4J context; fails with a clear message when the board was opened without one. */
    public Context requirePi4j() {
        if (pi4j == null) {
            throw new IllegalStateException("this driver needs Pi4J but the board was opened without a Pi4J context");
        }
        return pi4j;
    }

    /** The signal source; fails when the board is not simulated. */
    public SignalSource requireSignals() {
        if (signals == null) {
            throw new IllegalStateException("simulated signals requested on a " + boardType.code() + " board");
        }
        return signals;
    }
}
