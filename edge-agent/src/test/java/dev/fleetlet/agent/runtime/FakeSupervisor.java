package dev.fleetlet.agent.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A deterministic in-memory {@link Supervisor} for release-layer tests, driven by the test: nothing
 * happens by itself. {@link #supervise} starts a container (RUNNING, health STARTING when a check is
 * given, NONE otherwise) unless {@link #failNextStart} was called; the same spec again on a running id
 * (e.g. after {@link #addUnsupervised}) adopts it with no restart. The test then makes things happen:
 * {@link #exit} (the restart rule is applied at once: restarted with restarts+1, or EXITED; on-failure:max
 * gives up after max), {@link #fail} (an exit 1 with a reason), {@link #oomKill}, {@link #markHealthy},
 * {@link #markUnhealthy}. Listeners are called synchronously on the test's thread, in order.
 * {@link #calls()} records {@code supervise web}, {@code adopt web}, {@code replace web},
 * {@code restart web}, {@code release web}.
 */
public final class FakeSupervisor implements Supervisor {

    private static final class Entry {
        ContainerSpec spec;
        RestartRule rule;
        HealthCheck check;
        ServiceState state;
    }

    private final Clock clock;
    private final Map<String, Entry> supervised = new LinkedHashMap<>();
    private final Map<String, ContainerSpec> unsupervised = new LinkedHashMap<>();
    private final Map<String, String> failNextStart = new LinkedHashMap<>();
    private final Map<String, CgroupStats> stats = new LinkedHashMap<>();
    private final Set<String> present = new LinkedHashSet<>();
    private final List<Consumer<ServiceState>> listeners = new CopyOnWriteArrayList<>();
    private final List<String> calls = new ArrayList<>();
    private boolean closed;

    public FakeSupervisor(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized ServiceState supervise(ContainerSpec spec, RestartRule restart, HealthCheck health) {
        requireOpen();
        String id = spec.id();
        Entry e = supervised.get(id);
        ContainerSpec found = e != null ? e.spec : unsupervised.get(id);
        calls.add("supervise " + id);
        if (found != null && found.equals(spec)) {
            unsupervised.remove(id);
            if (e == null) {
                calls.add("adopt " + id);
                e = new Entry();
                e.state = new ServiceState(id, ServiceState.State.RUNNING, health == null ? Health.NONE : Health.STARTING,
                        0, null, false, clock.instant(), null);
                supervised.put(id, e);
            }
            e.spec = spec;
            e.rule = restart;
            e.check = health;
            return e.state;
        }
        if (found != null) {
            calls.add("replace " + id);
            unsupervised.remove(id);
        }
        e = new Entry();
        e.spec = spec;
        e.rule = restart;
        e.check = health;
        supervised.put(id, e);
        present.add(id);
        String error = failNextStart.remove(id);
        if (error != null) {
            return update(e, new ServiceState(id, ServiceState.State.EXITED, Health.NONE, 0, null, false, null, error));
        }
        return update(e, new ServiceState(id, ServiceState.State.RUNNING, health == null ? Health.NONE : Health.STARTING,
                0, null, false, clock.instant(), null));
    }

    @Override
    public synchronized void release(String id, Duration grace) {
        calls.add("release " + id);
        unsupervised.remove(id);
        present.remove(id);
        Entry e = supervised.remove(id);
        if (e != null) {
            ServiceState s = e.state;
            notifyListeners(new ServiceState(id, ServiceState.State.STOPPED, s.health(), s.restarts(), s.lastExitCode(),
                    s.oomKilled(), s.startedAt(), s.lastError()));
        }
    }

    @Override
    public synchronized Optional<ServiceState> state(String id) {
        Entry e = supervised.get(id);
        return e == null ? Optional.empty() : Optional.of(e.state);
    }

    @Override
    public synchronized List<ServiceState> states() {
        return supervised.values().stream().map(e -> e.state).toList();
    }

    @Override
    public synchronized List<String> unsupervised() {
        return List.copyOf(unsupervised.keySet());
    }

    @Override
    public synchronized CgroupStats stats(String id) {
        if (!present.contains(id) && !unsupervised.containsKey(id)) {
            throw new IllegalStateException("container " + id + " has no cgroup (not present)");
        }
        return stats.getOrDefault(id, new CgroupStats(0, 0, null, 0, 0, 0, null));
    }

    @Override
    public void addListener(Consumer<ServiceState> onChange) {
        listeners.add(onChange);
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    // ---- driven by the test ----

    /** A container left running by a previous agent with this spec: listed by {@link #unsupervised()}. */
    public synchronized void addUnsupervised(ContainerSpec spec) {
        unsupervised.put(spec.id(), spec);
    }

    /** The next {@link #supervise} of {@code id} fails to start with {@code error} (state EXITED, lastError set). */
    public synchronized void failNextStart(String id, String error) {
        failNextStart.put(id, error);
    }

    /** The container exits with {@code exitCode}; its restart rule is applied at once. */
    public synchronized ServiceState exit(String id, int exitCode) {
        return exited(id, exitCode, false, null);
    }

    /** The container fails: exits 1, with {@code reason} as lastError when it is not restarted. */
    public synchronized ServiceState fail(String id, String reason) {
        return exited(id, 1, false, reason);
    }

    /** The kernel OOM-kills the container (exit 137, oomKilled, lastError "OOM-killed at ..."). */
    public synchronized ServiceState oomKill(String id) {
        return exited(id, 137, true, "OOM-killed at memory limit");
    }

    public synchronized ServiceState markHealthy(String id) {
        return health(id, Health.HEALTHY);
    }

    public synchronized ServiceState markUnhealthy(String id) {
        return health(id, Health.UNHEALTHY);
    }

    public synchronized void setStats(String id, CgroupStats value) {
        stats.put(id, value);
    }

    /** The spec a supervised container runs with. */
    public synchronized Optional<ContainerSpec> spec(String id) {
        Entry e = supervised.get(id);
        return e == null ? Optional.empty() : Optional.of(e.spec);
    }

    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    private ServiceState exited(String id, int code, boolean oom, String reason) {
        Entry e = known(id);
        ServiceState s = e.state;
        if (s.state() != ServiceState.State.RUNNING) {
            throw new IllegalStateException("container " + id + " is " + s.state() + ", not RUNNING");
        }
        RestartRule rule = e.rule;
        boolean policyRestarts = rule.policy().restarts(code);
        boolean exhausted = rule.maxRetries() != null && s.restarts() >= rule.maxRetries();
        if (policyRestarts && !exhausted) {
            calls.add("restart " + id);
            return update(e, new ServiceState(id, ServiceState.State.RUNNING, e.check == null ? Health.NONE : Health.STARTING,
                    s.restarts() + 1, code, oom, clock.instant(), oom ? reason : null));
        }
        String error = exhausted && policyRestarts
                ? "gave up after " + s.restarts() + " restarts (on-failure:" + rule.maxRetries() + "), last exit code " + code
                : reason;
        return update(e, new ServiceState(id, ServiceState.State.EXITED, s.health(), s.restarts(), code, oom,
                s.startedAt(), error));
    }

    private ServiceState health(String id, Health h) {
        Entry e = known(id);
        if (e.check == null) {
            throw new IllegalStateException("container " + id + " has no health check");
        }
        ServiceState s = e.state;
        return update(e, new ServiceState(id, s.state(), h, s.restarts(), s.lastExitCode(), s.oomKilled(), s.startedAt(),
                s.lastError()));
    }

    private Entry known(String id) {
        Entry e = supervised.get(id);
        if (e == null) {
            throw new IllegalStateException("container " + id + " is not supervised");
        }
        return e;
    }

    private ServiceState update(Entry e, ServiceState next) {
        boolean changed = !next.equals(e.state);
        e.state = next;
        if (changed) {
            notifyListeners(next);
        }
        return next;
    }

    private void notifyListeners(ServiceState s) {
        for (Consumer<ServiceState> l : listeners) {
            l.accept(s);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("supervisor is closed");
        }
    }
}
