package dev.fleetlet.agent.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Supervisor} over a {@link ContainerRuntime} (runc in production), with one scheduler thread for
 * all containers: every {@link Settings#tick()} it reads each supervised container's status (a file
 * check for runc), starts restarts that are due, and starts/collects health probes, which run as child
 * processes ({@code runc exec}) so a slow probe never holds up the others. Listeners are called on that
 * thread too.
 *
 * <p>On construction it adopts every container present on the runtime's root, so their log capture
 * resumes at once; they stay {@link #unsupervised()} (no restarts, no probes) until {@link #supervise}
 * claims them. {@link #close()} leaves all containers running.
 */
public final class RuncSupervisor implements Supervisor {
    private static final Logger log = LoggerFactory.getLogger(RuncSupervisor.class);

    /**
     * Timing of the supervisor.
     *
     * @param tick           how often statuses are checked; exits are seen within about one tick (default 250 ms)
     * @param backoffInitial first restart delay, doubled per consecutive crash (default 1 s)
     * @param backoffMax     longest restart delay (default 60 s)
     * @param healthyAfter   a run this long resets the back-off to {@code backoffInitial} (default 10 s)
     * @param replaceGrace   SIGTERM grace when {@code supervise} replaces a container with another spec (default 10 s)
     */
    public record Settings(Duration tick, Duration backoffInitial, Duration backoffMax, Duration healthyAfter,
                           Duration replaceGrace) {
        public static Settings defaults() {
            return new Settings(Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofSeconds(60),
                    Duration.ofSeconds(10), Duration.ofSeconds(10));
        }
    }

    private final ContainerRuntime runtime;
    private final Clock clock;
    private final Settings settings;
    private final ScheduledThreadPoolExecutor scheduler;
    private final Map<String, SupervisedContainer> supervised = new ConcurrentHashMap<>();
    private final List<Consumer<ServiceState>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    public RuncSupervisor(ContainerRuntime runtime, Clock clock, Settings settings) {
        this.runtime = runtime;
        this.clock = clock;
        this.settings = settings;
        for (String id : runtime.list()) {
            try {
                ContainerStatus s = runtime.adopt(id);
                log.info("container found id={} state={} exitCode={}", id, s.state(), s.exitCode());
            } catch (RuntimeException e) {
                log.warn("cannot adopt container id={} error={}", id, e.getMessage());
            }
        }
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(null, r, "container-supervisor", 256 * 1024);
            t.setDaemon(true);
            return t;
        });
        long tickMillis = settings.tick().toMillis();
        scheduler.scheduleWithFixedDelay(this::tick, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public ServiceState supervise(ContainerSpec spec, RestartRule restart, HealthCheck health) {
        requireOpen();
        String id = spec.id();
        String hash = runtime.specHash(spec);
        SupervisedContainer existing = supervised.get(id);
        if (existing != null) {
            synchronized (existing) {
                if (existing.state != ServiceState.State.EXITED
                        && runtime.info(id).map(i -> i.specHash().equals(hash)).orElse(false)) {
                    existing.reconfigure(restart, health, clock.instant());
                    publish(existing);
                    return existing.snapshot();
                }
            }
            release(id, settings.replaceGrace());
        }
        SupervisedContainer c = new SupervisedContainer(spec, restart, health,
                new RestartBackoff(restart.policy(), settings.backoffInitial(), settings.backoffMax(), settings.healthyAfter(), clock));
        synchronized (c) {
            supervised.put(id, c);
            Optional<ContainerStatus> present = runtime.status(id);
            boolean sameSpec = runtime.info(id).map(i -> i.specHash().equals(hash)).orElse(false);
            if (present.isPresent() && sameSpec) {
                adopt(c, runtime.adopt(id));
            } else {
                if (present.isPresent()) {
                    log.info("replacing container with a different spec id={}", id);
                    runtime.stop(id, settings.replaceGrace());
                    runtime.remove(id);
                }
                try {
                    runtime.start(spec);
                    c.started(clock.instant());
                } catch (RuntimeException e) {
                    log.warn("container failed to start id={} error={}", id, e.getMessage());
                    c.state = ServiceState.State.EXITED;
                    c.lastError = e.getMessage();
                    removeQuietly(id);
                }
            }
            publish(c);
            return c.snapshot();
        }
    }

    private void adopt(SupervisedContainer c, ContainerStatus s) {
        c.started(s.startedAt() != null ? s.startedAt() : clock.instant());
        if (s.state() == ContainerStatus.State.RUNNING) {
            log.info("container adopted id={} startedAt={}", c.id, s.startedAt());
        } else {
            log.info("container exited while unsupervised id={} exitCode={}", c.id, s.exitCode());
            exited(c, s);
        }
    }

    @Override
    public void release(String id, Duration grace) {
        SupervisedContainer c = supervised.remove(id);
        if (c != null) {
            synchronized (c) {
                c.released = true;
                c.stopProbe();
            }
        }
        if (runtime.status(id).isPresent()) {
            runtime.stop(id, grace);
            runtime.remove(id);
            log.info("container released id={}", id);
        }
        if (c != null) {
            synchronized (c) {
                c.state = ServiceState.State.STOPPED;
                publish(c);
            }
        }
    }

    @Override
    public Optional<ServiceState> state(String id) {
        SupervisedContainer c = supervised.get(id);
        if (c == null) {
            return Optional.empty();
        }
        synchronized (c) {
            return Optional.of(c.snapshot());
        }
    }

    @Override
    public List<ServiceState> states() {
        List<ServiceState> out = new ArrayList<>();
        for (SupervisedContainer c : supervised.values()) {
            synchronized (c) {
                out.add(c.snapshot());
            }
        }
        return out;
    }

    @Override
    public List<String> unsupervised() {
        return runtime.list().stream().filter(id -> !supervised.containsKey(id)).toList();
    }

    @Override
    public CgroupStats stats(String id) {
        return runtime.stats(id);
    }

    @Override
    public void addListener(Consumer<ServiceState> onChange) {
        listeners.add(onChange);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
                scheduler.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SupervisedContainer c : supervised.values()) {
            synchronized (c) {
                c.stopProbe();
            }
        }
        runtime.detach();
        log.info("supervisor closed, containers left running count={}", supervised.size());
    }

    private void tick() {
        for (SupervisedContainer c : supervised.values()) {
            synchronized (c) {
                if (c.released || closed) {
                    continue;
                }
                try {
                    step(c, clock.instant());
                } catch (RuntimeException e) {
                    log.warn("supervision step failed id={} error={}", c.id, e.getMessage());
                }
                publish(c);
            }
        }
    }

    private void step(SupervisedContainer c, Instant now) {
        switch (c.state) {
            case RUNNING -> {
                Optional<ContainerStatus> s = runtime.status(c.id);
                if (s.isEmpty()) {
                    c.stopProbe();
                    c.state = ServiceState.State.EXITED;
                    c.lastError = "container disappeared";
                } else if (s.get().state() == ContainerStatus.State.EXITED) {
                    exited(c, s.get());
                } else {
                    c.probeStep(runtime, now);
                }
            }
            case RESTARTING -> {
                if (!now.isBefore(c.restartAt)) {
                    restart(c);
                }
            }
            default -> {
            }
        }
    }

    private void exited(SupervisedContainer c, ContainerStatus s) {
        Integer code = s.exitCode();
        String error = code == null ? (s.runtimeError() != null ? s.runtimeError() : "exit status unknown")
                : code != 0 ? s.runtimeError() : null;
        boolean oom = false;
        if (code != null && code == 137) {
            try {
                CgroupStats st = runtime.stats(c.id);
                if (st.oomKills() > 0 || st.memoryFailCount() > 0) {
                    oom = true;
                    error = "OOM-killed at " + limit(st.memoryLimitBytes());
                }
            } catch (RuntimeException e) {
                log.debug("no cgroup figures after exit id={} error={}", c.id, e.getMessage());
            }
        }
        c.stopProbe();
        c.lastExitCode = code;
        c.oomKilled = oom;
        c.lastError = error;
        Optional<Instant> next = c.backoff.exited(code == null ? -1 : code);
        Integer max = c.rule.maxRetries();
        if (next.isEmpty()) {
            c.state = ServiceState.State.EXITED;
        } else if (max != null && c.restarts >= max) {
            c.state = ServiceState.State.EXITED;
            c.lastError = "gave up after " + c.restarts + " restarts (on-failure:" + max + "), last exit code " + code
                    + (error != null ? ": " + error : "");
        } else {
            c.state = ServiceState.State.RESTARTING;
            c.restartAt = next.get();
        }
        log.info("container exited id={} exitCode={} oomKilled={} next={} restartAt={}", c.id, code, oom, c.state, c.restartAt);
    }

    private void restart(SupervisedContainer c) {
        removeQuietly(c.id);
        c.restarts++;
        try {
            runtime.start(c.spec);
            c.started(clock.instant());
            log.info("container restarted id={} restarts={}", c.id, c.restarts);
        } catch (RuntimeException e) {
            log.warn("container restart failed id={} restarts={} error={}", c.id, c.restarts, e.getMessage());
            removeQuietly(c.id);
            c.started(clock.instant());
            exited(c, new ContainerStatus(c.id, ContainerStatus.State.EXITED, null, null, null, e.getMessage()));
        }
    }

    private void removeQuietly(String id) {
        try {
            runtime.remove(id);
        } catch (RuntimeException e) {
            log.warn("cannot remove container id={} error={}", id, e.getMessage());
        }
    }

    private void publish(SupervisedContainer c) {
        ServiceState s = c.snapshot();
        if (s.equals(c.published)) {
            return;
        }
        c.published = s;
        for (Consumer<ServiceState> l : listeners) {
            try {
                scheduler.execute(() -> {
                    try {
                        l.accept(s);
                    } catch (RuntimeException e) {
                        log.warn("supervisor listener failed id={} error={}", s.id(), e.getMessage());
                    }
                });
            } catch (RejectedExecutionException e) {
                log.debug("supervisor closed, state change not delivered id={}", s.id());
            }
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("supervisor is closed");
        }
    }

    private static String limit(Long bytes) {
        if (bytes == null) {
            return "no memory limit";
        }
        long mib = 1024 * 1024;
        return bytes % mib == 0 ? bytes / mib + " MiB" : bytes + " bytes";
    }
}
