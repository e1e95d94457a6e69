package dev.fleetlet.drivers.board;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProvider;
import com.pi4j.plugin.mock.provider.pwm.MockPwmProvider;
import dev.fleetlet.drivers.config.BoardType;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the Pi4J context for the configured board, always explicitly (never {@code newAutoContext()},
 * which silently picks mocks off a Pi).
 *
 * <ul>
 *   <li>{@code simulated}: mock platform and mock providers for digital input/output, PWM and I2C;
 *       no Pi4J shutdown hook (the board closes the context itself).</li>
 *   <li>{@code pi}: the filesystem root must show a Raspberry Pi 3/4/5; then gpiod and linuxfs
 *       providers. If the resulting context holds any mock provider the start is refused.</li>
 * </ul>
 * Failures are {@link BoardStartException}s whose message says what to fix.
 */
public final class Pi4jContexts {

    private static final Logger log = LoggerFactory.getLogger(Pi4jContexts.class);

    private Pi4jContexts() {
    }

    public static Context open(BoardType type, Path root) {
        DetectedBoard detected = new BoardDetector(root).detect();
        if (type == BoardType.SIMULATED) {
            if (detected.raspberryPi()) {
                log.warn("simulated board on real hardware model={} readings will be simulated", detected.model());
            }
            return checked(type, detected, simulated());
        }
        Optional<String> early = ProviderGuard.refusal(type, detected, java.util.List.of());
        if (early.isPresent()) {
            throw new BoardStartException(early.get());
        }
        Context context;
        try {
            context = dev.fleetlet.drivers.board.internal.RealPi4jContext.build(root, detected);
        } catch (RuntimeException | LinkageError e) {
            throw new BoardStartException("board.type is pi on '" + detected.model()
                    + "' but the gpiod/linuxfs providers could not be loaded: " + e, e);
        }
        log.info("pi4j context opened board={} model={} providers={}", type.code(), detected.model(),
                context.providers().all().keySet());
        return checked(type, detected, context);
    }

    /** The mock context of the simulated board. */
    public static Context simulated() {
        return Pi4J.newContextBuilder()
                .noAutoDetect()
                .add(new MockPlatform())
                .add(MockDigitalInputProvider.newInstance(),
                        MockDigitalOutputProvider.newInstance(),
                        MockPwmProvider.newInstance(),
                        MockI2CProvider.newInstance())
                .disableShutdownHook()
                .build();
    }

    /** Applies {@link ProviderGuard} to a built context; shuts the context down when refusing. */
    static Context checked(BoardType type, DetectedBoard detected, Context context) {
        Optional<String> refusal = ProviderGuard.refusal(type, detected, context.providers().all().keySet());
        if (refusal.isPresent()) {
            try {
                context.shutdown();
            } catch (RuntimeException e) {
                log.debug("pi4j shutdown after refusal failed error={}", e.toString());
            }
            throw new BoardStartException(refusal.get());
        }
        return context;
    }
}
