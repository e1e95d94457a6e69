package dev.fleetlet.hil.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started as a separate process for a benchmark, with the open-files limit raised to the hard
 * limit, output to a log file, and its CPU time and memory read from {@code /proc/<pid>}.
 */
final class ChildJava implements AutoCloseable {

    /** Clock ticks per second of {@code /proc/<pid>/stat} times (USER_HZ; 100 on Linux x86 and arm). */
    static final double CLK_TCK = 100.0;

    private final Process process;
    private final Path log;

    private ChildJava(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code java <jvmArgs...>} through bash so that {@code ulimit -n} can be raised first. */
    static ChildJava start(List<String> javaArgs, Path log) throws IOException {
        StringBuilder cmd = new StringBuilder("ulimit -n $(ulimit -Hn); exec ");
        cmd.append(quote(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String a : javaArgs) {
            cmd.append(' ').append(quote(a));
        }
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", cmd.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        return new ChildJava(pb.start(), log);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /** User + system CPU time so far, in clock ticks. */
    long cpuTicks() {
        return cpuTicks(Path.of("/proc", Long.toString(pid()), "stat"));
    }

    /** Resident set size now, in MiB. */
    double rssMb() {
        return statusKb(pid(), "VmRSS:") / 1024.0;
    }

    /** Peak resident set size, in MiB. */
    double peakRssMb() {
        return statusKb(pid(), "VmHWM:") / 1024.0;
    }

    static long selfCpuTicks() {
        return cpuTicks(Path.of("/proc/self/stat"));
    }

    /**
     * User + system CPU ticks so far of each thread of a process, summed by thread name with digits replaced by
     * {@code N} (a pool's threads together); Linux truncates thread names to 15 characters. Threads that end
     * between two reads are missing from the later one.
     */
    static java.util.Map<String, Long> threadCpuTicks(long pid) {
        java.util.Map<String, Long> out = new java.util.HashMap<>();
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim().replaceAll("\\d+", "N");
                    out.merge(name, cpuTicks(task.resolve("stat")), Long::sum);
                } catch (IOException | UncheckedIOException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The {@code top} thread groups by CPU ticks spent between two {@link #threadCpuTicks} reads, as "name=s". */
    static String topThreads(java.util.Map<String, Long> before, java.util.Map<String, Long> after, int top) {
        return after.entrySet().stream()
                .map(e -> java.util.Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(top)
                .map(e -> String.format(java.util.Locale.ROOT, "%s=%.2f", e.getKey(), e.getValue() / CLK_TCK))
                .collect(java.util.stream.Collectors.joining(" "));
    }

    static long cpuTicks(Path stat) {
        try {
            String s = Files.readString(stat);
            // the command name may contain spaces: fields start after the last ')'
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3 (state); utime is field 14, stime field 15
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long statusKb(long pid, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last lines of the log, for failure messages. */
    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static List<String> args(String... a) {
        return new ArrayList<>(List.of(a));
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
