package dev.fleetlet.agent.release.internal;

import dev.fleetlet.agent.release.ServicePlan;
import dev.fleetlet.agent.runtime.CgroupStats;
import dev.fleetlet.agent.runtime.ServiceState;
import dev.fleetlet.agent.runtime.Supervisor;
import dev.fleetlet.protocol.message.ServiceStatus;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a supervised container's state and cgroup figures into the protocol's {@link ServiceStatus}. CPU percent
 * is the CPU time used between two calls over the wall time between them (percent of one core); the first call
 * for a container has none.
 */
public final class ServiceStats {

    private record Sample(long cpuNanos, long atNanos) {
    }

    private final Supervisor supervisor;
    private final Clock clock;
    private final Map<String, Sample> last = new ConcurrentHashMap<>();

    public ServiceStats(Supervisor supervisor, Clock clock) {
        this.supervisor = supervisor;
        this.clock = clock;
    }

    /** The status of {@code plan}'s container; {@code state} null means not supervised (reported {@code stopped}). */
    public ServiceStatus status(ServicePlan plan, ServiceState state) {
        String st = state == null ? "stopped" : state.state().name().toLowerCase(Locale.ROOT);
        String health = state == null ? "none" : state.health().name().toLowerCase(Locale.ROOT);
        int restarts = state == null ? 0 : state.restarts();
        if (state == null || state.state() != ServiceState.State.RUNNING) {
            return new ServiceStatus(plan.service(), plan.image(), st, health, restarts, null, null,
                    plan.container().resources().memoryBytes(), null);
        }
        CgroupStats c;
        try {
            c = supervisor.stats(plan.id());
        } catch (RuntimeException e) {
            return new ServiceStatus(plan.service(), plan.image(), st, health, restarts, null, null,
                    plan.container().resources().memoryBytes(), null);
        }
        long now = clock.millis() * 1_000_000L;
        Sample prev = last.put(plan.id(), new Sample(c.cpuUsageNanos(), now));
        Double cpu = null;
        if (prev != null && now > prev.atNanos() && c.cpuUsageNanos() >= prev.cpuNanos()) {
            cpu = Math.round(1000.0 * (c.cpuUsageNanos() - prev.cpuNanos()) / (now - prev.atNanos())) / 10.0;
        }
        return new ServiceStatus(plan.service(), plan.image(), st, health, restarts, cpu, c.memoryUsageBytes(),
                c.memoryLimitBytes(), (int) c.pidsCurrent());
    }
}
