package dev.fleetlet.agent.runtime;

import dev.fleetlet.agent.hostcmd.HostCommand;
import dev.fleetlet.agent.fs.LinuxCalls;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The small long-lived process that keeps one container's foreground {@code runc run} alive independently
 * of the agent: {@code setsid /bin/sh -c SCRIPT}. It lives in the container directory's files:
 *
 * <ul>
 *   <li>{@code stdout.fifo}, {@code stderr.fifo}: the container's output (via runc). The shim holds each open
 *       read-write for its whole life, so the container never gets SIGPIPE/EPIPE while no agent reads; with
 *       no reader it blocks once the pipes are full (64 KiB in the FIFO plus runc's own pipe per stream).</li>
 *   <li>{@code exit}: written (atomically) with runc's exit status, i.e. the container's, when it ends, whether
 *       or not an agent is running.</li>
 *   <li>{@code shim.pid}: its pid. It is identified as alive by one of {@code /proc/<pid>/fd/*} pointing at
 *       its {@code stdout.fifo}, which is immune to pid reuse (after a reboot, say).</li>
 * </ul>
 *
 * After writing {@code exit} the shim lingers ({@code exec sleep}) still holding the FIFOs, so output not
 * yet read by an agent is not discarded; the agent kills it once it has attached its log pumps.
 */
final class ContainerShim {
    static final String STDOUT = "stdout.fifo";
    static final String STDERR = "stderr.fifo";
    static final String EXIT = "exit";
    static final String PID = "shim.pid";
    /** The container's host pid, written by runc once the container's process runs. */
    static final String CONTAINER_PID = "container.pid";
    static final String EXIT_INVALID = "exit.runc-killed";

    private static final String SCRIPT = String.join("\n",
            "dir=$1; shift",
            "exec 3<>\"$dir/" + STDOUT + "\" 4<>\"$dir/" + STDERR + "\"",
            "\"$@\" </dev/null >\"$dir/" + STDOUT + "\" 2>\"$dir/" + STDERR + "\" 3>&- 4>&-",
            "echo $? > \"$dir/" + EXIT + ".tmp\" && mv -f \"$dir/" + EXIT + ".tmp\" \"$dir/" + EXIT + "\"",
            "exec sleep 2147483647 </dev/null >/dev/null 2>&1",
            "");

    private ContainerShim() {
    }

    /**
     * Creates the FIFOs (fresh, mode 0600) and removes a stale exit record: in-process ({@code mkfifo(3)}) when
     * {@link LinuxCalls} is available, else with the {@code mkfifo} tool.
     */
    static void prepare(Path dir) throws IOException {
        for (String f : List.of(STDOUT, STDERR, EXIT, EXIT + ".tmp", EXIT_INVALID, PID, CONTAINER_PID)) {
            Files.deleteIfExists(dir.resolve(f));
        }
        createFifos(dir, LinuxCalls.available());
    }

    /** {@code inProcess}: with {@code mkfifo(3)} (needs {@link LinuxCalls#available()}), else with the tool. */
    static void createFifos(Path dir, boolean inProcess) throws IOException {
        if (inProcess) {
            LinuxCalls.mkfifo(dir.resolve(STDOUT), 0600);
            LinuxCalls.mkfifo(dir.resolve(STDERR), 0600);
        } else {
            HostCommand.run(List.of("mkfifo", "-m", "600", dir.resolve(STDOUT).toString(), dir.resolve(STDERR).toString()),
                    Duration.ofSeconds(10));
        }
    }

    /** Starts the shim running {@code command} (runc run ...) in its own session; returns its pid. */
    static long start(Path dir, List<String> command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("setsid", "/bin/sh", "-c", SCRIPT, "fleetlet-shim", dir.toString()));
        cmd.addAll(command);
        Process p = new ProcessBuilder(cmd).redirectInput(new File("/dev/null")).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("shim.log").toFile())).start();
        Files.writeString(dir.resolve(PID), Long.toString(p.pid()));
        return p.pid();
    }

    /** The recorded exit status and when it was written, or empty while the container has not ended. */
    static Optional<Exit> exit(Path dir) {
        Path f = dir.resolve(EXIT);
        try {
            String s = Files.readString(f).strip();
            Instant at = Files.getLastModifiedTime(f).toInstant();
            return Optional.of(new Exit(s.isEmpty() ? null : Integer.parseInt(s), at));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        } catch (NumberFormatException e) {
            return Optional.of(new Exit(null, Instant.now()));
        }
    }

    /**
     * The live shim's pid, or empty when it is gone: the recorded pid must hold this directory's stdout FIFO
     * open (the shell may keep it at a saved descriptor number while runc runs, so all are looked at).
     */
    static Optional<Long> alive(Path dir) {
        try {
            long pid = Long.parseLong(Files.readString(dir.resolve(PID)).strip());
            Path fifo = dir.resolve(STDOUT).toAbsolutePath();
            Path real = fifo.toRealPath();
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
                for (Path fd : fds) {
                    try {
                        Path target = Files.readSymbolicLink(fd);
                        if (target.equals(fifo) || target.equals(real)) {
                            return Optional.of(pid);
                        }
                    } catch (IOException e) {
                        // closed meanwhile
                    }
                }
            }
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Sets aside an exit record that is runc's own death, not the container's (it still runs). */
    static void invalidateExit(Path dir) {
        try {
            Files.move(dir.resolve(EXIT), dir.resolve(EXIT_INVALID), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set aside " + dir.resolve(EXIT), e);
        }
    }

    /** Kills the shim (and with it its hold on the FIFOs). */
    static void kill(Path dir) {
        alive(dir).flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** The container's exit status as the shim recorded it; {@code code} null when unreadable. */
    record Exit(Integer code, Instant at) {
    }
}
