package dev.fleetlet.agent.release.internal;

import dev.fleetlet.agent.release.ReleaseSettings;
import dev.fleetlet.agent.release.ServicePlan;
import dev.fleetlet.agent.runtime.Health;
import dev.fleetlet.agent.runtime.HealthCheck;
import dev.fleetlet.agent.runtime.ServiceState;
import dev.fleetlet.agent.runtime.Supervisor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides when started services are up: a service with a health check must become HEALTHY within
 * {@code start_period + retries × (interval + timeout) + margin}; one without must have run for the settle
 * window since its last (re)start, within {@code settle × (crashRestarts + 1) + margin}. Exits, UNHEALTHY and
 * {@code crashRestarts} restarts fail at once. Woken by the
 * supervisor's state listener, re-checks at least every 100 ms.
 */
public final class ReadinessGate {

    private final Supervisor supervisor;
    private final ReleaseSettings settings;
    private final Clock clock;
    private final Object signal = new Object();

    public ReadinessGate(Supervisor supervisor, ReleaseSettings settings, Clock clock) {
        this.supervisor = supervisor;
        this.settings = settings;
        this.clock = clock;
        supervisor.addListener(s -> {
            synchronized (signal) {
                signal.notifyAll();
            }
        });
    }

    /** The longest a service may take to count as up. */
    public Duration budget(ServicePlan plan) {
        HealthCheck h = plan.health();
        if (h == null) {
            // room for a few restarts (each must then run for the settle window) before the crash limit decides
            return settings.settle().multipliedBy(settings.crashRestarts() + 1L).plus(settings.healthMargin());
        }
        return h.startPeriod().plus(h.interval().plus(h.timeout()).multipliedBy(h.retries())).plus(settings.healthMargin());
    }

    /**
     * Waits until every service in {@code plans} is up; returns the reason of the first failure, or empty.
     *
     * @param restartsAtStart each service's restart count when it was started (missing: 0)
     */
    public Optional<String> await(List<ServicePlan> plans, Map<String, Integer> restartsAtStart) throws InterruptedException {
        Instant start = clock.instant();
        Set<ServicePlan> pending = new LinkedHashSet<>(plans);
        Map<String, Integer> base = new HashMap<>(restartsAtStart);
        while (true) {
            Instant now = clock.instant();
            for (ServicePlan p : List.copyOf(pending)) {
                Optional<ServiceState> os = supervisor.state(p.id());
                if (os.isEmpty()) {
                    return Optional.of("service " + p.service() + " is not running (container " + p.id() + " gone)");
                }
                ServiceState s = os.get();
                int restarts = s.restarts() - base.getOrDefault(p.id(), 0);
                if (s.state() == ServiceState.State.EXITED || s.state() == ServiceState.State.STOPPED) {
                    return Optional.of("service " + p.service() + " exited" + (s.lastExitCode() == null ? ""
                            : " with code " + s.lastExitCode()) + (s.lastError() == null ? "" : ": " + s.lastError()));
                }
                if (restarts >= settings.crashRestarts()) {
                    return Optional.of("service " + p.service() + " crashed repeatedly (" + restarts + " restarts"
                            + (s.lastExitCode() == null ? "" : ", last exit code " + s.lastExitCode()) + ")");
                }
                boolean overdue = !now.isBefore(start.plus(budget(p)));
                if (p.health() != null) {
                    if (s.health() == Health.HEALTHY && s.state() == ServiceState.State.RUNNING) {
                        pending.remove(p);
                    } else if (s.health() == Health.UNHEALTHY) {
                        return Optional.of("service " + p.service() + " is unhealthy (health check failed "
                                + p.health().retries() + " times)");
                    } else if (overdue) {
                        return Optional.of("service " + p.service() + " not healthy within " + budget(p).toMillis() + " ms");
                    }
                } else {
                    Instant since = s.startedAt() == null || s.startedAt().isBefore(start) && restarts > 0
                            ? start : s.startedAt();
                    if (s.state() == ServiceState.State.RUNNING && !now.isBefore(since.plus(settings.settle()))) {
                        pending.remove(p);
                    } else if (overdue) {
                        return Optional.of("service " + p.service() + " is " + s.state().name().toLowerCase()
                                + " instead of running steadily for " + settings.settle().toMillis() + " ms");
                    }
                }
            }
            if (pending.isEmpty()) {
                return Optional.empty();
            }
            synchronized (signal) {
                signal.wait(100);
            }
        }
    }
}
