package dev.fleetlet.agent.systemd;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ServiceNotifier} that runs {@code systemd-notify VAR=value} with the {@code NOTIFY_SOCKET} systemd
 * gave the agent. One process per message (a few milliseconds; a watchdog ping every
 * {@code WatchdogSec/2}). systemd-notify of systemd 246 and later waits until the manager has processed
 * the message, so the message is not dropped for coming from a process that already exited; the unit
 * needs {@code NotifyAccess=all} because the sender is not the main process.
 */
public final class SystemdNotifier implements ServiceNotifier {

    /** Where {@link #fromEnvironment()} looks for the command when PATH has none. */
    static final List<Path> FALLBACK_DIRS = List.of(Path.of("/usr/bin"), Path.of("/bin"));

    private static final Logger log = LoggerFactory.getLogger(SystemdNotifier.class);

    private final Path command;
    private final String notifySocket;
    private final Optional<Duration> watchdogInterval;
    private final Duration timeout;

    /**
     * @param command          the systemd-notify executable (a fake one in tests)
     * @param notifySocket     the value of {@code NOTIFY_SOCKET}
     * @param watchdogInterval how often to ping, see {@link #watchdogInterval(Map, long)}
     * @param timeout          how long one run may take before it is killed and the message counted as lost
     */
    public SystemdNotifier(Path command, String notifySocket, Optional<Duration> watchdogInterval, Duration timeout) {
        this.command = Objects.requireNonNull(command, "command");
        this.notifySocket = Objects.requireNonNull(notifySocket, "notifySocket");
        this.watchdogInterval = Objects.requireNonNull(watchdogInterval, "watchdogInterval");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** The notifier for this process: {@link #fromEnvironment(Map, long)} with the real environment. */
    public static ServiceNotifier fromEnvironment() {
        return fromEnvironment(System.getenv(), ProcessHandle.current().pid());
    }

    /**
     * A {@link SystemdNotifier} when {@code NOTIFY_SOCKET} is set (the unit is {@code Type=notify} or has a
     * watchdog) and {@code systemd-notify} is found on {@code PATH} or in /usr/bin, /bin; otherwise
     * {@link ServiceNotifier#none()}, with a warning when the socket is set but the command is missing.
     */
    public static ServiceNotifier fromEnvironment(Map<String, String> env, long ownPid) {
        String socket = env.get("NOTIFY_SOCKET");
        if (socket == null || socket.isBlank()) {
            return ServiceNotifier.none();
        }
        Optional<Path> command = find("systemd-notify", env.getOrDefault("PATH", ""));
        if (command.isEmpty()) {
            log.warn("NOTIFY_SOCKET is set but systemd-notify is missing: no readiness or watchdog messages "
                    + "socket={}", socket);
            return ServiceNotifier.none();
        }
        return new SystemdNotifier(command.get(), socket, watchdogInterval(env, ownPid), Duration.ofSeconds(10));
    }

    /**
     * Half of {@code WATCHDOG_USEC}, when set and {@code WATCHDOG_PID} is absent or names {@code ownPid}. A
     * malformed value is logged with the variable's name and means no watchdog.
     */
    static Optional<Duration> watchdogInterval(Map<String, String> env, long ownPid) {
        String usec = env.get("WATCHDOG_USEC");
        if (usec == null || usec.isBlank()) {
            return Optional.empty();
        }
        String pid = env.get("WATCHDOG_PID");
        try {
            if (pid != null && !pid.isBlank() && Long.parseLong(pid.strip()) != ownPid) {
                return Optional.empty();
            }
            long micros = Long.parseLong(usec.strip());
            if (micros <= 0) {
                throw new NumberFormatException("not positive");
            }
            return Optional.of(Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(micros) / 2));
        } catch (NumberFormatException e) {
            log.warn("ignoring the systemd watchdog: WATCHDOG_USEC={} WATCHDOG_PID={} are not valid numbers", usec, pid);
            return Optional.empty();
        }
    }

    @Override
    public void ready() {
        send("READY=1");
    }

    @Override
    public void watchdog() {
        send("WATCHDOG=1");
    }

    @Override
    public void status(String text) {
        // one message is newline-separated assignments: a newline in the text must not start another one
        send("STATUS=" + text.replaceAll("[\\r\\n]+", " "));
    }

    @Override
    public void stopping() {
        send("STOPPING=1");
    }

    @Override
    public Optional<Duration> watchdogInterval() {
        return watchdogInterval;
    }

    /** Runs the command once; returns whether it reported success. Never throws. */
    boolean send(String assignment) {
        List<String> argv = new ArrayList<>(List.of(command.toString(), assignment));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().put("NOTIFY_SOCKET", notifySocket);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            log.warn("cannot run systemd-notify command={} message={} error={}", command, assignment, e.toString());
            return false;
        }
        try {
            p.getOutputStream().close();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                log.warn("systemd-notify timed out command={} message={} timeout={}", command, assignment, timeout);
                return false;
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0) {
                log.warn("systemd-notify failed command={} message={} exit={} output={}", command, assignment,
                        p.exitValue(), output);
                return false;
            }
            return true;
        } catch (IOException e) {
            log.warn("systemd-notify output unreadable command={} error={}", command, e.toString());
            return false;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Optional<Path> find(String name, String path) {
        List<Path> dirs = new ArrayList<>();
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isBlank()) {
                dirs.add(Path.of(dir));
            }
        }
        dirs.addAll(FALLBACK_DIRS);
        return dirs.stream().map(d -> d.resolve(name)).filter(Files::isExecutable).findFirst();
    }
}
