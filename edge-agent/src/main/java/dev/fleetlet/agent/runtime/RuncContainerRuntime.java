package dev.fleetlet.agent.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ContainerRuntime} on runc, with containers that outlive the agent. Per container, in
 * {@code <root>/containers/<id>/}: {@code bundle/config.json} (from {@link OciSpecGenerator}),
 * {@code meta.json} (spec hash, created-at), the {@link ContainerShim} files ({@code stdout.fifo},
 * {@code stderr.fifo}, {@code exit}, {@code shim.pid}) and {@code logs/{stdout,stderr}.log} (rotating,
 * kept by {@link #remove}). runc's state lives in the {@link Runc}'s own {@code --root}.
 *
 * <p>Each container runs under a detached shim (its own session) keeping a foreground {@code runc run}
 * alive; the shim records the exit status in a file, so it is known even when it happens while no
 * agent runs. This runtime copies the FIFOs into the log files with one {@link LogPump} thread per
 * stream; a runtime constructed later re-attaches them ({@link #adopt}). Status is read from the files
 * on each call (a stat, and a readlink while running), which keeps exit detection as fast as the caller
 * polls.
 */
public final class RuncContainerRuntime implements ContainerRuntime {
    private static final Logger log = LoggerFactory.getLogger(RuncContainerRuntime.class);
    private static final String META = "meta.json";
    /** Pid-file checks every millisecond while a start is usually done (runc takes ~30-60 ms), then every 5 ms. */
    private static final long START_POLL_FAST_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long START_POLL_FAST_FOR_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long START_POLL_SLOW_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long EXIT_POLL_MIN_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long EXIT_POLL_MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /** Log file bounds per stream. */
    public record LogLimits(long maxBytes, int keep) {
    }

    /** A container whose logs this runtime copies. */
    private static final class Tracked {
        final String id;
        final Path dir;
        LogPump out;
        LogPump err;
        boolean finished;

        Tracked(String id, Path dir) {
            this.id = id;
            this.dir = dir;
        }
    }

    private final Runc runc;
    private final OciSpecGenerator generator;
    private final CgroupStatsReader stats;
    private final Path containers;
    private final ObjectMapper json;
    private final ObjectMapper canonical;
    private final Clock clock;
    private final LogLimits logLimits;
    private final Duration startTimeout;
    private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
    private final Map<String, ContainerInfo> infos = new ConcurrentHashMap<>();
    private final java.util.Set<String> verifiedExits = ConcurrentHashMap.newKeySet();
    private final AtomicLong execs = new AtomicLong();
    /** The last spec generated, kept briefly: {@link #specHash} and the {@link #start} right after it share one. */
    private volatile Generated lastGenerated;

    private record Generated(ContainerSpec spec, OciSpec oci, String hash, long atNanos) {
    }

    public RuncContainerRuntime(Runc runc, OciSpecGenerator generator, CgroupStatsReader stats, Path root,
                                ObjectMapper json, Clock clock, LogLimits logLimits, Duration startTimeout) {
        this.runc = runc;
        this.generator = generator;
        this.stats = stats;
        this.containers = root.resolve("containers").toAbsolutePath();
        this.json = json.copy().enable(SerializationFeature.INDENT_OUTPUT);
        this.canonical = JsonMapper.builder().enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();
        this.clock = clock;
        this.logLimits = logLimits;
        this.startTimeout = startTimeout;
    }

    @Override
    public void start(ContainerSpec spec) {
        String id = spec.id();
        Path dir = dir(id);
        if (tracked.containsKey(id) || Files.exists(dir.resolve(META)) || runc.hasState(id)) {
            throw new IllegalStateException("container " + id + " already exists; remove it first");
        }
        Generated generated = generated(spec);
        OciSpec oci = generated.oci();
        Tracked t;
        try {
            Path bundle = Files.createDirectories(dir.resolve("bundle"));
            json.writeValue(bundle.resolve("config.json").toFile(), oci);
            ObjectNode meta = json.createObjectNode().put("id", id).put("specHash", generated.hash())
                    .put("createdAt", clock.instant().toString());
            Files.writeString(dir.resolve(META + ".tmp"), json.writeValueAsString(meta));
            Files.move(dir.resolve(META + ".tmp"), dir.resolve(META), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            ContainerShim.prepare(dir);
            t = new Tracked(id, dir);
            // the log files are opened before anything starts: a start that cannot log fails with nothing running
            // (killing the shim once it runs would not stop the runc it started, nor a pump blocked on its FIFO)
            RotatingLogFile outLog = logFile(id, "stdout.log");
            RotatingLogFile errLog = null;
            try {
                errLog = logFile(id, "stderr.log");
                ContainerShim.start(dir, runc.runCommand(id, bundle, dir.resolve(ContainerShim.CONTAINER_PID)));
            } catch (IOException | RuntimeException e) {
                closeQuietly(outLog);
                if (errLog != null) {
                    closeQuietly(errLog);
                }
                throw e;
            }
            // the shim holds the FIFOs open read-write, so runc needs no reader yet: the pumps' threads start while
            // runc creates the container, and what it writes meanwhile waits in the FIFOs
            t.out = LogPump.start(id + "-stdout", dir.resolve(ContainerShim.STDOUT), outLog);
            t.err = LogPump.start(id + "-stderr", dir.resolve(ContainerShim.STDERR), errLog);
            tracked.put(id, t);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare and start container " + id, e);
        }
        awaitStarted(t);
        log.info("container started id={} memory={} cpuMillis={} pids={}", id,
                spec.resources().memoryBytes(), spec.resources().cpuMillis(), spec.resources().pidsLimit());
    }

    /**
     * Waits for runc's pid file (written once the container's process runs) or the shim's exit record, whichever
     * comes first: file checks only (a stat and a failed open per millisecond at first), no runc process. An exit
     * without a pid file is a failed start.
     */
    private void awaitStarted(Tracked t) {
        long begin = System.nanoTime();
        long deadline = begin + startTimeout.toNanos();
        Path pidFile = t.dir.resolve(ContainerShim.CONTAINER_PID);
        for (long now = begin; now < deadline; now = System.nanoTime()) {
            if (Files.exists(pidFile)) {
                return;
            }
            Optional<ContainerShim.Exit> exit = ContainerShim.exit(t.dir);
            if (exit.isPresent()) {
                finish(t);
                String error = runcError(t.id);
                if (!Files.exists(pidFile) || error != null) {
                    throw new IllegalStateException("container " + t.id + " failed to start (runc exit " + exit.get().code()
                            + "): " + (error != null ? error : tail(logDir(t.id).resolve("stderr.log"))));
                }
                return;
            }
            LockSupport.parkNanos(now - begin < START_POLL_FAST_FOR_NANOS ? START_POLL_FAST_NANOS : START_POLL_SLOW_NANOS);
        }
        throw new IllegalStateException("container " + t.id + " did not start within " + startTimeout);
    }

    /** Sleeps between file checks, starting short and doubling up to a cap: quick to notice, cheap when long. */
    private static final class Pacer {
        private final long max;
        private long next;

        Pacer(long min, long max) {
            this.next = min;
            this.max = max;
        }

        void pause() {
            LockSupport.parkNanos(next);
            next = Math.min(max, next * 2);
        }
    }

    @Override
    public Optional<ContainerStatus> status(String id) {
        Path dir = dir(id);
        Optional<ContainerInfo> info = info(id);
        if (info.isEmpty()) {
            if (!runc.hasState(id)) {
                return Optional.empty();
            }
            return runc.state(id).map(s -> s.status().equals("stopped")
                    ? new ContainerStatus(id, ContainerStatus.State.EXITED, null, null, null, "not created by this agent")
                    : new ContainerStatus(id, ContainerStatus.State.RUNNING, null, null, null, null));
        }
        Instant startedAt = info.get().createdAt();
        Optional<ContainerShim.Exit> exit = ContainerShim.exit(dir);
        if (exit.isPresent() && !verifiedExits.contains(id)) {
            // no process left in the container's cgroup: the record is the container's own end (no runc call needed)
            Optional<Runc.State> rs = runc.hasState(id) && stats.hasProcesses(generator.cgroupPathOf(id))
                    ? runc.state(id) : Optional.empty();
            if (rs.isPresent() && !rs.get().status().equals("stopped")) {
                // runc itself was killed (e.g. systemd SIGKILLed the agent's cgroup): what the shim recorded is
                // runc's end, not the container's, which runs on without anyone to record its exit.
                log.warn("container outlived its runc process, exit status will be unknown id={} recorded={}", id,
                        exit.get().code());
                ContainerShim.invalidateExit(dir);
                exit = Optional.empty();
            } else {
                verifiedExits.add(id);
            }
        }
        if (exit.isPresent()) {
            Tracked t = tracked.get(id);
            if (t != null) {
                finish(t);
            }
            Integer code = exit.get().code();
            return Optional.of(new ContainerStatus(id, ContainerStatus.State.EXITED, code, startedAt, exit.get().at(),
                    code != null && code != 0 ? runcError(id) : null));
        }
        if (ContainerShim.alive(dir).isPresent()) {
            return Optional.of(new ContainerStatus(id, ContainerStatus.State.RUNNING, null, startedAt, null, null));
        }
        Optional<Runc.State> s = runc.hasState(id) ? runc.state(id) : Optional.empty();
        if (s.isPresent() && !s.get().status().equals("stopped")) {
            return Optional.of(new ContainerStatus(id, ContainerStatus.State.RUNNING, null, startedAt, null, null));
        }
        if (ContainerShim.exit(dir).isPresent()) {
            // recorded between the first look and the liveness check (seen as a transient "not alive" while the
            // shim records the exit and execs its lingering sleep): read it like any recorded exit
            return status(id);
        }
        return Optional.of(new ContainerStatus(id, ContainerStatus.State.EXITED, null, startedAt, null,
                "exit status unknown: the container's shim ended without recording it"));
    }

    @Override
    public Optional<Integer> awaitExit(String id, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Pacer pacer = new Pacer(EXIT_POLL_MIN_NANOS, EXIT_POLL_MAX_NANOS);
        while (true) {
            ContainerStatus s = status(id).orElseThrow(() -> notKnown(id));
            if (s.state() == ContainerStatus.State.EXITED) {
                return Optional.ofNullable(s.exitCode());
            }
            if (System.nanoTime() >= deadline) {
                return Optional.empty();
            }
            pacer.pause();
        }
    }

    @Override
    public void stop(String id, Duration grace) {
        ContainerStatus s = status(id).orElseThrow(() -> notKnown(id));
        if (s.state() == ContainerStatus.State.EXITED) {
            return;
        }
        signal(id, "TERM", false);
        if (awaitExitOrGone(id, grace)) {
            return;
        }
        signal(id, "KILL", true);
        awaitExitOrGone(id, Duration.ofSeconds(10));
    }

    private boolean awaitExitOrGone(String id, Duration timeout) {
        awaitExit(id, timeout);
        return status(id).map(s -> s.state() == ContainerStatus.State.EXITED).orElse(true);
    }

    @Override
    public void remove(String id) {
        Path dir = dir(id);
        Optional<ContainerStatus> s = status(id);
        if (s.isPresent() && s.get().state() == ContainerStatus.State.RUNNING) {
            signal(id, "KILL", true);
            awaitExit(id, Duration.ofSeconds(10));
        }
        if (runc.hasState(id)) {
            runc.delete(id);
        }
        infos.remove(id);
        verifiedExits.remove(id);
        Tracked t = tracked.remove(id);
        if (t != null) {
            synchronized (t) {
                if (!t.finished) {
                    ContainerShim.kill(dir);
                    awaitPumps(t);
                }
            }
        }
        ContainerShim.kill(dir);
        try {
            deleteTree(dir.resolve("bundle"));
            for (String f : List.of(META, ContainerShim.STDOUT, ContainerShim.STDERR, ContainerShim.EXIT, ContainerShim.EXIT_INVALID,
                    ContainerShim.PID, ContainerShim.CONTAINER_PID, "shim.log", "exec.log")) {
                Files.deleteIfExists(dir.resolve(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete files of container " + id, e);
        }
    }

    @Override
    public CgroupStats stats(String id) {
        return stats.read(generator.cgroupPathOf(id));
    }

    @Override
    public List<String> list() {
        TreeSet<String> ids = new TreeSet<>(runc.list());
        if (Files.isDirectory(containers)) {
            try (Stream<Path> dirs = Files.list(containers)) {
                dirs.filter(d -> Files.exists(d.resolve(META))).forEach(d -> ids.add(d.getFileName().toString()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + containers, e);
            }
        }
        return List.copyOf(ids);
    }

    @Override
    public Optional<ContainerInfo> info(String id) {
        ContainerInfo cached = infos.get(id);
        if (cached != null) {
            return Optional.of(cached);
        }
        Path meta = dir(id).resolve(META);
        try {
            JsonNode n = json.readTree(Files.readString(meta));
            ContainerInfo info = new ContainerInfo(id, n.path("specHash").asText(), Instant.parse(n.path("createdAt").asText()));
            infos.put(id, info);
            return Optional.of(info);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            log.warn("unreadable container metadata id={} file={} error={}", id, meta, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public String specHash(ContainerSpec spec) {
        return generated(spec).hash();
    }

    /**
     * The OCI spec and its hash for {@code spec}: reused when the same spec was generated less than a second ago (a
     * supervisor asks for the hash, then starts), so host facts it reads (device numbers) are at most that old.
     */
    private Generated generated(ContainerSpec spec) {
        Generated last = lastGenerated;
        long now = System.nanoTime();
        if (last != null && now - last.atNanos() < TimeUnit.SECONDS.toNanos(1) && last.spec().equals(spec)) {
            return last;
        }
        OciSpec oci = generator.generate(spec);
        Generated g = new Generated(spec, oci, hash(oci), now);
        lastGenerated = g;
        return g;
    }

    @Override
    public ContainerStatus adopt(String id) {
        ContainerStatus s = status(id).orElseThrow(() -> notKnown(id));
        Path dir = dir(id);
        tracked.computeIfAbsent(id, k -> {
            Tracked t = new Tracked(id, dir);
            if (Files.exists(dir.resolve(META)) && ContainerShim.alive(dir).isPresent()) {
                attachPumps(t);
                log.info("container adopted id={} state={}", id, s.state());
            }
            return t;
        });
        return status(id).orElseThrow(() -> notKnown(id));
    }

    @Override
    public ExecHandle exec(String id, List<String> command) {
        ContainerStatus s = status(id).orElseThrow(() -> notKnown(id));
        if (s.state() != ContainerStatus.State.RUNNING) {
            throw new IllegalStateException("container " + id + " is not running; cannot exec " + command);
        }
        Path pidFile = dir(id).resolve("exec-" + execs.incrementAndGet() + ".pid");
        Process p = runc.exec(id, pidFile, command, dir(id).resolve("exec.log").toFile());
        return new RuncExecHandle(p, pidFile);
    }

    @Override
    public void detach() {
        for (Tracked t : tracked.values()) {
            detachPumps(t);
        }
        tracked.clear();
        infos.clear();
    }

    /** The directory holding {@code stdout.log} and {@code stderr.log} of a container. */
    public Path logDir(String id) {
        return dir(id).resolve("logs");
    }

    private Path dir(String id) {
        return containers.resolve(id);
    }

    /** After the exit record appeared: release the shim's hold on the FIFOs and let the pumps drain to EOF. */
    private void finish(Tracked t) {
        synchronized (t) {
            if (t.finished) {
                return;
            }
            if (ContainerShim.alive(t.dir).isPresent()) {
                if (t.out == null) {
                    attachPumps(t);
                }
                for (LogPump p : new LogPump[] {t.out, t.err}) {
                    if (!p.awaitOpen(Duration.ofSeconds(2))) {
                        log.warn("log pump did not open its FIFO, unread output may be lost id={}", t.id);
                    }
                }
                ContainerShim.kill(t.dir);
            }
            awaitPumps(t);
            t.finished = true;
        }
    }

    private void attachPumps(Tracked t) {
        try {
            t.out = LogPump.start(t.id + "-stdout", t.dir.resolve(ContainerShim.STDOUT), logFile(t.id, "stdout.log"));
            t.err = LogPump.start(t.id + "-stderr", t.dir.resolve(ContainerShim.STDERR), logFile(t.id, "stderr.log"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open log files of container " + t.id, e);
        }
    }

    private static void closeQuietly(RotatingLogFile f) {
        try {
            f.close();
        } catch (Exception e) {
            log.debug("cannot close log file error={}", e.toString());
        }
    }

    private RotatingLogFile logFile(String id, String name) throws IOException {
        return new RotatingLogFile(logDir(id).resolve(name), logLimits.maxBytes(), logLimits.keep());
    }

    private static void awaitPumps(Tracked t) {
        for (LogPump p : new LogPump[] {t.out, t.err}) {
            if (p != null && !p.awaitEof(Duration.ofSeconds(2))) {
                p.detach();
            }
        }
    }

    private static void detachPumps(Tracked t) {
        synchronized (t) {
            for (LogPump p : new LogPump[] {t.out, t.err}) {
                if (p != null) {
                    p.detach();
                }
            }
        }
    }

    private String hash(OciSpec oci) {
        try {
            byte[] bytes = canonical.writeValueAsString(oci).getBytes(StandardCharsets.UTF_8);
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash container spec", e);
        }
    }

    private void signal(String id, String sig, boolean all) {
        try {
            runc.kill(id, sig, all);
        } catch (RuntimeException e) {
            log.debug("signal not delivered id={} signal={} error={}", id, sig, e.getMessage());
        }
    }

    private static IllegalStateException notKnown(String id) {
        return new IllegalStateException("container " + id + " is not known to this runtime");
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    /** runc's own failure message in the container's stderr log, or null. */
    private String runcError(String id) {
        String stderr = tail(logDir(id).resolve("stderr.log"));
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
