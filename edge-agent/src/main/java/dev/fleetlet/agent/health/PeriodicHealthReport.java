package dev.fleetlet.agent.health;

import dev.fleetlet.agent.state.StateReporter;
import dev.fleetlet.protocol.message.ReportedState;
import dev.fleetlet.protocol.message.ServiceStatus;
import dev.fleetlet.protocol.message.SystemHealth;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-publishes the reported state with fresh service stats and system health when they changed
 * ({@link HealthChange}) and the last report is at least {@link #MIN_INTERVAL} old. Called by a timer
 * ({@link #tick()}, every {@link #SAMPLE_INTERVAL}); the reporter repeats the last status, generation and
 * reason, so a periodic report never changes what the server knows about the last update. Never throws.
 */
public final class PeriodicHealthReport {

    /** At most one periodic report per this interval (protocol: at most once a minute). */
    public static final Duration MIN_INTERVAL = Duration.ofMinutes(1);
    /** How often the timer samples. */
    public static final Duration SAMPLE_INTERVAL = Duration.ofSeconds(15);

    private static final Logger log = LoggerFactory.getLogger(PeriodicHealthReport.class);

    private final StateReporter reporter;
    private final Supplier<List<ServiceStatus>> services;
    private final Supplier<SystemHealth> system;
    private final Clock clock;

    /**
     * @param reporter where reports go (its latest report gives the last reported values and time)
     * @param services per-service status of the running release
     * @param system   board health
     * @param clock    the time source the interval is measured with
     */
    public PeriodicHealthReport(StateReporter reporter, Supplier<List<ServiceStatus>> services,
                                Supplier<SystemHealth> system, Clock clock) {
        this.reporter = reporter;
        this.services = services;
        this.system = system;
        this.clock = clock;
    }

    /** Samples and publishes when due and changed; returns whether a report was published. */
    public boolean tick() {
        try {
            Optional<ReportedState> latest = reporter.latest();
            if (latest.isEmpty()) {
                return false;
            }
            ReportedState last = latest.get();
            if (Duration.between(last.reportedAt(), clock.instant()).compareTo(MIN_INTERVAL) < 0) {
                return false;
            }
            List<ServiceStatus> nowServices = services.get();
            SystemHealth nowSystem = system.get();
            if (!HealthChange.significant(last.services(), last.system(), nowServices, nowSystem)) {
                return false;
            }
            return reporter.refresh(last, nowServices, nowSystem);
        } catch (RuntimeException e) {
            log.warn("periodic health report failed error={}", e.toString());
            return false;
        }
    }
}
