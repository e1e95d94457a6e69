package dev.fleetlet.agent.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process started by a benchmark, its output in a log file, with its memory and CPU time read from
 * {@code /proc/<pid>}. {@link #startNanos()} is taken right before {@link ProcessBuilder#start()}.
 */
final class ChildProcess implements AutoCloseable {

    /** Clock ticks per second of {@code /proc/<pid>/stat} times (USER_HZ; 100 on Linux x86 and arm). */
    static final double CLK_TCK = 100.0;

    private final Process process;
    private final Path log;
    private final long startNanos;

    private ChildProcess(Process process, Path log, long startNanos) {
        this.process = process;
        this.log = log;
        this.startNanos = startNanos;
    }

    static ChildProcess start(List<String> command, Map<String, String> env, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        return new ChildProcess(pb.start(), log, t0);
    }

    long pid() {
        return process.pid();
    }

    long startNanos() {
        return startNanos;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** User + system CPU time so far, in clock ticks. */
    long cpuTicks() {
        String s = read("stat");
        // the command name may contain spaces: the fields start after the last ')'
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
    }

    /**
     * Scheduler accounting summed over the process's live threads ({@code /proc/<pid>/task/<tid>/schedstat}): CPU time
     * in ns and how often a thread was put on a CPU (about the number of wake-ups). An idle agent's CPU time is
     * mostly the cost of its wake-ups, and that cost depends on how busy the machine is (a wake-up on an idle
     * virtual CPU costs more), so the count is the load-independent figure to compare.
     */
    long[] schedstat() {
        long ns = 0;
        long runs = 0;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid()), "task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String[] f = Files.readString(t.resolve("schedstat")).trim().split(" ");
                    ns += Long.parseLong(f[0]);
                    runs += Long.parseLong(f[2]);
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("process " + pid() + " gone? log:\n" + tail(30), e);
        }
        return new long[] {ns, runs};
    }

    /**
     * Voluntary context switches of each live thread so far (it blocked, and was woken later), summed by thread name
     * ({@code comm}): the wake-ups a thread asked for, without the preemptions a busy machine adds.
     */
    java.util.Map<String, Long> wakeupsByThreadName() {
        java.util.Map<String, Long> runs = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid()), "task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(t.resolve("comm")).trim();
                    runs.merge(name, field(Files.readString(t.resolve("status")), "voluntary_ctxt_switches:"),
                            Long::sum);
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("process " + pid() + " gone? log:\n" + tail(30), e);
        }
        return runs;
    }

    /** Resident set size now ({@code VmRSS}), in KiB. */
    long rssKb() {
        return field(read("status"), "VmRSS:");
    }

    /** Proportional set size now ({@code smaps_rollup} Pss: shared pages divided among their users), in KiB. */
    long pssKb() {
        return field(read("smaps_rollup"), "Pss:");
    }

    /** {@code RssAnon} now (heap, metaspace, code, stacks, malloc, the relocated CDS archive), in KiB. */
    long rssAnonKb() {
        return field(read("status"), "RssAnon:");
    }

    /** {@code RssFile} now (mapped files: libjvm.so, lib/modules, jars), in KiB. */
    long rssFileKb() {
        return field(read("status"), "RssFile:");
    }

    long threads() {
        return field(read("status"), "Threads:");
    }

    boolean logContains(String text) {
        try {
            return Files.exists(log) && Files.readString(log).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private String read(String file) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid()), file));
        } catch (IOException e) {
            throw new UncheckedIOException("process " + pid() + " gone? log:\n" + tail(30), e);
        }
    }

    private static long field(String text, String key) {
        for (String line : text.split("\n")) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException("no " + key + " in /proc");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
