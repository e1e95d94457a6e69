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
 * stats it reports. Every call is recorded in {@link #calls()}. {@link #exec} ends at once with the code set by
 * {@link #setExecExitCode} (0 by default); {@link #detach} forgets nothing (the containers "keep running").
 */
public final class FakeContainerRuntime implements ContainerRuntime {
    private final Clock clock;
    private final Map<String, ContainerStatus> containers = new ConcurrentHashMap<>();
    private final Map<String, ContainerSpec> specs = new ConcurrentHashMap<>();
    private final Map<String, CgroupStats> stats = new ConcurrentHashMap<>();
    private final List<String> calls = new ArrayList<>();
    private final Map<String, ContainerInfo> infos = new ConcurrentHashMap<>();
    private final Map<String, Integer> execExitCodes = new ConcurrentHashMap<>();

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
        infos.put(spec.id(), new ContainerInfo(spec.id(), specHash(spec), now));
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
        infos.remove(id);
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

    @Override
    public Optional<ContainerInfo> info(String id) {
        return Optional.ofNullable(infos.get(id));
    }

    @Override
    public String specHash(ContainerSpec spec) {
        return "fake:" + Integer.toHexString(spec.hashCode());
    }

    @Override
    public synchronized ContainerStatus adopt(String id) {
        calls.add("adopt " + id);
        return known(id);
    }

    @Override
    public synchronized ExecHandle exec(String id, List<String> command) {
        calls.add("exec " + id + " " + String.join(" ", command));
        if (known(id).state() != ContainerStatus.State.RUNNING) {
            throw new IllegalStateException("container " + id + " is not running; cannot exec " + command);
        }
        int code = execExitCodes.getOrDefault(id, 0);
        return new ExecHandle() {
            @Override
            public Optional<Integer> exitCode() {
                return Optional.of(code);
            }

            @Override
            public void kill() {
            }
        };
    }

    @Override
    public synchronized void detach() {
        calls.add("detach");
    }

    /** The exit code of the next {@link #exec}s in {@code id}. */
    public void setExecExitCode(String id, int code) {
        execExitCodes.put(id, code);
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
