package dev.fleetlet.agent.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ContainerRuntime} on runc. Per container: {@code <root>/containers/<id>/bundle/config.json}
 * (from {@link OciSpecGenerator}) and {@code <root>/containers/<id>/logs/{stdout,stderr}.log}
 * (rotating). Each container is supervised by a foreground {@code runc run} child process; its
 * exit is the container's exit.
 *
 * <p>Known limit: containers do not survive an agent restart yet (the runc child and its pipes die
 * with the agent); re-adoption comes with the reconciler.
 */
public final class RuncContainerRuntime implements ContainerRuntime {
    private static final Logger log = LoggerFactory.getLogger(RuncContainerRuntime.class);

    /** Log file bounds per stream. */
    public record LogLimits(long maxBytes, int keep) {
    }

    private record Running(Process process, Instant startedAt, CompletableFuture<Integer> exit, Thread out, Thread err) {
    }

    private final Runc runc;
    private final OciSpecGenerator generator;
    private final CgroupStatsReader stats;
    private final Path containers;
    private final ObjectMapper json;
    private final Clock clock;
    private final LogLimits logLimits;
    private final Duration startTimeout;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final Map<String, Instant> finishedAt = new ConcurrentHashMap<>();

    public RuncContainerRuntime(Runc runc, OciSpecGenerator generator, CgroupStatsReader stats, Path root,
                                ObjectMapper json, Clock clock, LogLimits logLimits, Duration startTimeout) {
        this.runc = runc;
        this.generator = generator;
        this.stats = stats;
        this.containers = root.resolve("containers");
        this.json = json.copy().enable(SerializationFeature.INDENT_OUTPUT);
        this.clock = clock;
        this.logLimits = logLimits;
        this.startTimeout = startTimeout;
    }

    @Override
    public void start(ContainerSpec spec) {
        if (running.containsKey(spec.id()) || runc.state(spec.id()).isPresent()) {
            throw new IllegalStateException("container " + spec.id() + " already exists; remove it first");
        }
        Path dir = containers.resolve(spec.id());
        Path bundle = dir.resolve("bundle");
        RotatingLogFile stdout;
        RotatingLogFile stderr;
        try {
            Files.createDirectories(bundle);
            json.writeValue(bundle.resolve("config.json").toFile(), generator.generate(spec));
            stdout = new RotatingLogFile(dir.resolve("logs/stdout.log"), logLimits.maxBytes(), logLimits.keep());
            stderr = new RotatingLogFile(dir.resolve("logs/stderr.log"), logLimits.maxBytes(), logLimits.keep());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare bundle for " + spec.id(), e);
        }
        Instant started = clock.instant();
        Process p = runc.run(spec.id(), bundle);
        Thread out = LogPump.start(spec.id() + "-stdout", p.getInputStream(), stdout);
        Thread err = LogPump.start(spec.id() + "-stderr", p.getErrorStream(), stderr);
        CompletableFuture<Integer> exit = p.onExit().thenApply(proc -> {
            joinQuietly(out);
            joinQuietly(err);
            finishedAt.put(spec.id(), clock.instant());
            log.info("container exited id={} exitCode={}", spec.id(), proc.exitValue());
            return proc.exitValue();
        });
        running.put(spec.id(), new Running(p, started, exit, out, err));
        awaitStarted(spec.id(), exit);
        log.info("container started id={} memory={} cpuMillis={} pids={}", spec.id(),
                spec.resources().memoryBytes(), spec.resources().cpuMillis(), spec.resources().pidsLimit());
    }

    private void awaitStarted(String id, CompletableFuture<Integer> exit) {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (exit.isDone()) {
                int code = exit.join();
                String error = runcError(id);
                if (runc.state(id).isEmpty() || error != null) {
                    throw new IllegalStateException("container " + id + " failed to start (runc exit " + code + "): "
                            + (error != null ? error : tail(containers.resolve(id).resolve("logs/stderr.log"))));
                }
                return;
            }
            Optional<Runc.State> s = runc.state(id);
            if (s.isPresent() && !s.get().status().equals("creating") && !s.get().status().equals("created")) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        throw new IllegalStateException("container " + id + " did not start within " + startTimeout);
    }

    @Override
    public Optional<ContainerStatus> status(String id) {
        Running r = running.get(id);
        if (r == null) {
            return Optional.empty();
        }
        if (r.exit().isDone()) {
            return Optional.of(new ContainerStatus(id, ContainerStatus.State.EXITED, r.exit().join(), r.startedAt(),
                    finishedAt.get(id), runcError(id)));
        }
        return Optional.of(new ContainerStatus(id, ContainerStatus.State.RUNNING, null, r.startedAt(), null, null));
    }

    @Override
    public Optional<Integer> awaitExit(String id, Duration timeout) {
        Running r = known(id);
        try {
            return Optional.of(r.exit().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for " + id + " failed", e.getCause());
        }
    }

    @Override
    public void stop(String id, Duration grace) {
        Running r = known(id);
        if (r.exit().isDone()) {
            return;
        }
        signal(id, "TERM", false);
        if (awaitExit(id, grace).isEmpty()) {
            signal(id, "KILL", true);
            awaitExit(id, Duration.ofSeconds(10));
        }
    }

    @Override
    public void remove(String id) {
        Running r = running.get(id);
        if (r != null && !r.exit().isDone()) {
            signal(id, "KILL", true);
            awaitExit(id, Duration.ofSeconds(10));
        }
        runc.delete(id);
        if (r != null) {
            r.process().destroyForcibly();
        }
        running.remove(id);
        finishedAt.remove(id);
        try {
            deleteTree(containers.resolve(id).resolve("bundle"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete bundle of " + id, e);
        }
    }

    @Override
    public CgroupStats stats(String id) {
        return stats.read(OciSpecGenerator.cgroupsPath(id));
    }

    @Override
    public List<String> list() {
        return List.copyOf(running.keySet());
    }

    /** The directory holding {@code stdout.log} and {@code stderr.log} of a container. */
    public Path logDir(String id) {
        return containers.resolve(id).resolve("logs");
    }

    private void signal(String id, String sig, boolean all) {
        try {
            runc.kill(id, sig, all);
        } catch (RuntimeException e) {
            log.debug("signal not delivered id={} signal={} error={}", id, sig, e.getMessage());
        }
    }

    private Running known(String id) {
        Running r = running.get(id);
        if (r == null) {
            throw new IllegalStateException("container " + id + " is not known to this runtime");
        }
        return r;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** runc's own failure message in the container's stderr log, or null. */
    private String runcError(String id) {
        String stderr = tail(containers.resolve(id).resolve("logs/stderr.log"));
        int at = stderr.lastIndexOf("msg=\"runc run failed:");
        if (at < 0) {
            return null;
        }
        int end = stderr.indexOf('\n', at);
        return stderr.substring(at + 5, end < 0 ? stderr.length() : end).replaceAll("\"$", "");
    }

    private static String tail(Path file) {
        try {
            String s = Files.readString(file);
            return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
        } catch (IOException e) {
            return "(no stderr)";
        }
    }
}
