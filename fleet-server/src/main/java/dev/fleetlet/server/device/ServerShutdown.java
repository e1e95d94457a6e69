package dev.fleetlet.server.device;

import dev.fleetlet.server.broker.FleetBroker;
import dev.fleetlet.server.telemetry.TelemetryIngest;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.ShutdownEvent;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order of a server stop, made explicit instead of left to bean destruction order. On the
 * {@link ShutdownEvent} (published before any bean is destroyed, so the database is still open):
 * <ol>
 *   <li>presence switches to reason {@value PresenceTracker#SERVER_SHUTDOWN};</li>
 *   <li>the broker stops: no new clients, every connection closed;</li>
 *   <li>the telemetry writer commits what is queued and stops;</li>
 *   <li>presence writes its queued states within {@code fleetlet.shutdown.presence-timeout} (default 10s),
 *       then marks every device still stored as online offline in one statement.</li>
 * </ol>
 * Only then are the beans destroyed and the data source closed. Each step logs its failure and the next one
 * still runs.
 */
@Context
public class ServerShutdown implements ApplicationEventListener<ShutdownEvent> {

    private static final Logger log = LoggerFactory.getLogger(ServerShutdown.class);

    private final Optional<FleetBroker> broker;
    private final Optional<TelemetryIngest> telemetry;
    private final Optional<PresenceTracker> presence;
    private final Duration presenceTimeout;

    public ServerShutdown(Optional<FleetBroker> broker, Optional<TelemetryIngest> telemetry, Optional<PresenceTracker> presence,
                          @Value("${fleetlet.shutdown.presence-timeout:10s}") Duration presenceTimeout) {
        if (presenceTimeout.isNegative() || presenceTimeout.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("fleetlet.shutdown.presence-timeout must be between 0 and 5m, was "
                    + presenceTimeout);
        }
        this.broker = broker;
        this.telemetry = telemetry;
        this.presence = presence;
        this.presenceTimeout = presenceTimeout;
    }

    @Override
    public void onApplicationEvent(ShutdownEvent event) {
        long started = System.nanoTime();
        presence.ifPresent(PresenceTracker::beginShutdown);
        step("broker stop", () -> broker.ifPresent(FleetBroker::stop));
        step("telemetry flush", () -> telemetry.ifPresent(TelemetryIngest::close));
        step("presence flush", () -> presence.ifPresent(p -> p.shutdown(presenceTimeout)));
        log.info("shutdown sequence done ms={}", (System.nanoTime() - started) / 1_000_000);
    }

    private static void step(String name, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            log.error("shutdown step failed step={}", name, e);
        }
    }
}
