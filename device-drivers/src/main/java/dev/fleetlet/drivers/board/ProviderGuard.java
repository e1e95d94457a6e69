package dev.fleetlet.drivers.board;

import dev.fleetlet.drivers.config.BoardType;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether the hardware found matches the configured board. Pure: takes what was detected
 * and which Pi4J provider ids the context holds, so the refusal rules are testable off a Pi.
 *
 * <p>Rules: a {@code pi} board must be a Raspberry Pi 3/4/5 and must not hold a single {@code mock-}
 * provider (Pi4J would otherwise hand out mock pins silently). A {@code simulated} board may run
 * anywhere, only on mock providers.
 */
public final class ProviderGuard {

    private ProviderGuard() {
    }

    /** The reason to refuse the start, or empty when the combination is fine. */
    public static Optional<String> refusal(BoardType configured, DetectedBoard detected, Collection<String> providerIds) {
        List<String> mocks = providerIds.stream().filter(id -> id.startsWith("mock-")).sorted().toList();
        if (configured == BoardType.SIMULATED) {
            List<String> real = providerIds.stream().filter(id -> !id.startsWith("mock-")).sorted().toList();
            return real.isEmpty() ? Optional.empty()
                    : Optional.of("board.type is simulated but the Pi4J context holds real providers " + real
                    + "; the simulated board must only use mock providers");
        }
        if (!detected.raspberryPi()) {
            return Optional.of("board.type is pi but this machine is not a Raspberry Pi (model '" + detected.model()
                    + "' from " + detected.source() + "); set board.type: simulated to run on simulated hardware");
        }
        if (!detected.supported()) {
            return Optional.of("board.type is pi but '" + detected.model() + "' (from " + detected.source()
                    + ") is not a supported board; supported: Raspberry Pi 3, 4, 5");
        }
        if (!mocks.isEmpty()) {
            return Optional.of("board.type is pi on '" + detected.model() + "' but Pi4J selected mock providers "
                    + mocks + "; refusing to start because readings and outputs would be fake."
                    + " Check that the gpiod and linuxfs plugins are on the class path and /dev/gpiochip*, /dev/i2c-* are accessible");
        }
        return Optional.empty();
    }
}
