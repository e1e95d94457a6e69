package dev.fleetlet.agent.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.drivers.Actuator;
import dev.fleetlet.drivers.ActuatorCommand;
import dev.fleetlet.protocol.message.CommandRequest;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code identify}: blinks the identify LED (toggled every {@value #HALF_PERIOD_MS} ms) for {@code seconds}
 * (1 to 300, default 10), then restores the LED's previous on/off state. The LED is an actuator of the
 * {@code hardware} section, named by the desired config value {@code identify.led} or else by
 * {@code commands.identifyLed}. No name → {@code error}/{@code no-identify-led}; a name that is not a
 * configured actuator → {@code error}/{@code identify-led-missing}. A new identify replaces a running one.
 */
public final class IdentifyHandler implements CommandHandler {

    static final long HALF_PERIOD_MS = 250;
    private static final Logger log = LoggerFactory.getLogger(IdentifyHandler.class);

    private final ObjectMapper mapper;
    private final Supplier<Optional<String>> ledName;
    private final Function<String, Optional<Actuator>> actuators;
    private final ScheduledExecutorService scheduler;
    private ScheduledFuture<?> blinking;
    private ScheduledFuture<?> stopping;
    private Runnable restore;

    public IdentifyHandler(ObjectMapper mapper, Supplier<Optional<String>> ledName,
                           Function<String, Optional<Actuator>> actuators, ScheduledExecutorService scheduler) {
        this.mapper = mapper;
        this.ledName = ledName;
        this.actuators = actuators;
        this.scheduler = scheduler;
    }

    @Override
    public CommandOutcome handle(CommandRequest request) {
        int seconds;
        try {
            seconds = new Args(request.args()).integer("seconds", 10, 1, 300);
        } catch (Args.BadArgs e) {
            return e.outcome();
        }
        Optional<String> name = ledName.get();
        if (name.isEmpty()) {
            return CommandOutcome.error("no-identify-led", "no identify LED configured (set the config value "
                    + "identify.led or commands.identifyLed to an actuator of the hardware section)");
        }
        Optional<Actuator> led = actuators.apply(name.get());
        if (led.isEmpty()) {
            return CommandOutcome.error("identify-led-missing", "identify LED '" + name.get()
                    + "' is not a configured actuator");
        }
        blink(led.get(), Duration.ofSeconds(seconds));
        return CommandOutcome.ok(mapper.createObjectNode().put("led", name.get()).put("seconds", seconds));
    }

    private synchronized void blink(Actuator led, Duration duration) {
        stopNow();
        boolean wasOn = led.state().value() > 0.5;
        restore = () -> led.apply(wasOn ? new ActuatorCommand.On() : new ActuatorCommand.Off());
        log.info("identify: blinking led={} seconds={}", led.name(), duration.toSeconds());
        blinking = scheduler.scheduleAtFixedRate(() -> safely(led, new ActuatorCommand.Toggle()), 0, HALF_PERIOD_MS,
                TimeUnit.MILLISECONDS);
        stopping = scheduler.schedule(this::stopNow, duration.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void stopNow() {
        if (blinking != null) {
            blinking.cancel(false);
            stopping.cancel(false);
            blinking = null;
            try {
                restore.run();
            } catch (RuntimeException e) {
                log.warn("identify: cannot restore the LED state error={}", e.toString());
            }
        }
    }

    private static void safely(Actuator led, ActuatorCommand command) {
        try {
            led.apply(command);
        } catch (RuntimeException e) {
            log.warn("identify: LED command failed led={} error={}", led.name(), e.toString());
        }
    }
}
