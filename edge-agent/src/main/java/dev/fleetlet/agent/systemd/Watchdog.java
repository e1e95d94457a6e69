package dev.fleetlet.agent.systemd;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pings the systemd watchdog while the agent is healthy. A ping from a timer thread alone would only
 * prove the JVM is alive; the {@code healthy} check (e.g. "the main loop made progress within the last
 * minute") makes a hung agent miss its pings, and systemd then kills and restarts it
 * ({@code WatchdogSec=} with {@code Restart=always}).
 */
public final class Watchdog {

    private static final Logger log = LoggerFactory.getLogger(Watchdog.class);

    private final ServiceNotifier notifier;
    private final BooleanSupplier healthy;
    private boolean withholding;

    public Watchdog(ServiceNotifier notifier, BooleanSupplier healthy) {
        this.notifier = Objects.requireNonNull(notifier, "notifier");
        this.healthy = Objects.requireNonNull(healthy, "healthy");
    }

    /**
     * Schedules {@link #tick()} at the notifier's watchdog interval on {@code timer}; empty (nothing
     * scheduled) when the unit has no watchdog.
     */
    public static Optional<ScheduledFuture<?>> schedule(ServiceNotifier notifier, BooleanSupplier healthy,
                                                        ScheduledExecutorService timer) {
        Watchdog watchdog = new Watchdog(notifier, healthy);
        return notifier.watchdogInterval().map(interval -> {
            long ms = Math.max(1, interval.toMillis());
            log.info("systemd watchdog enabled pingEveryMs={}", ms);
            return timer.scheduleAtFixedRate(watchdog::tick, 0, ms, TimeUnit.MILLISECONDS);
        });
    }

    /** One period: ping when healthy; otherwise withhold the ping and say so once per episode. */
    public synchronized void tick() {
        boolean ok;
        try {
            ok = healthy.getAsBoolean();
        } catch (RuntimeException e) {
            log.warn("watchdog health check failed error={}", e.toString());
            ok = false;
        }
        if (ok) {
            if (withholding) {
                log.info("agent healthy again, watchdog pings resumed");
                withholding = false;
            }
            notifier.watchdog();
        } else if (!withholding) {
            withholding = true;
            log.error("agent unhealthy, withholding the watchdog ping: systemd restarts the agent if this lasts");
        }
    }
}
