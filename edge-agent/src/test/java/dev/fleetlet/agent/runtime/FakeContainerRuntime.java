package dev.fleetlet.agent.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A hand-written in-memory {@link ContainerRuntime} for planner/executor tests. A container whose
 * command is {@code sleep ...} runs until stopped; {@code sh -c "exit N"} exits with N at once;
 * anything else exits 0. Tests can crash a running container with {@link #crash} and set the
 * stats it reports. Every call is recorded in {@link #calls()}.
 */
public final class FakeContainerRuntime implements ContainerRuntime {
    private final Clock clock;
    private final Map<String, ContainerStatus> containers = new ConcurrentHashMap<>();
    private final Map<String, ContainerSpec> specs = new ConcurrentHashMap<>();
    private final Map<String, CgroupStats> stats = new ConcurrentHashMap<>();
    private final List<String> calls = new ArrayList<>();

    public FakeContainerRuntime(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void start(ContainerSpec spec) {
        calls.add("start " + spec.id());
        if (containers.containsKey(spec.id())) {
            throw new IllegalStateException("container " + spec.id() + " already exists; remove it first");
        }
        specs.put(spec.id(), spec);
        Instant now = clock.instant();
        List<String> args = spec.args();
        if (args.get(0).endsWith("sleep")) {
            containers.put(spec.id(), new ContainerStatus(spec.id(), ContainerStatus.State.RUNNING, null, now, null, null));
        } else {
            String last = args.get(args.size() - 1);
            int code = last.matches("exit \\d+") ? Integer.parseInt(last.substring(5)) : 0;
            containers.put(spec.id(), new ContainerStatus(spec.id(), ContainerStatus.State.EXITED, code, now, now, null));
        }
    }

    @Override
    public Optional<ContainerStatus> status(String id) {
        return Optional.ofNullable(containers.get(id));
    }

    @Override
    public Optional<Integer> awaitExit(String id, Duration timeout) {
        return Optional.ofNullable(known(id).exitCode());
    }

    @Override
    public synchronized void stop(String id, Duration grace) {
        calls.add("stop " + id);
        if (known(id).state() == ContainerStatus.State.RUNNING) {
            exit(id, 143);
        }
    }

    @Override
    public synchronized void remove(String id) {
        calls.add("remove " + id);
        containers.remove(id);
        specs.remove(id);
        stats.remove(id);
    }

    @Override
    public CgroupStats stats(String id) {
        known(id);
        return stats.getOrDefault(id, new CgroupStats(0, 0, null, 0, 0, 0, null));
    }

    @Override
    public List<String> list() {
        return List.copyOf(containers.keySet());
    }

    /** Simulates a crash (or OOM kill with 137) of a running container. */
    public synchronized void crash(String id, int exitCode) {
        exit(id, exitCode);
    }

    public void setStats(String id, CgroupStats value) {
        stats.put(id, value);
    }

    public Optional<ContainerSpec> spec(String id) {
        return Optional.ofNullable(specs.get(id));
    }

    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    private void exit(String id, int code) {
        ContainerStatus s = known(id);
        containers.put(id, new ContainerStatus(id, ContainerStatus.State.EXITED, code, s.startedAt(), clock.instant(), null));
    }

    private ContainerStatus known(String id) {
        ContainerStatus s = containers.get(id);
        if (s == null) {
            throw new IllegalStateException("container " + id + " is not known to this runtime");
        }
        return s;
    }
}
