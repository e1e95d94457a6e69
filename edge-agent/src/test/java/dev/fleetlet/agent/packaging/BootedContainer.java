package dev.fleetlet.agent.packaging;

import static org.awaitility.Awaitility.await;

import dev.fleetlet.agent.hostcmd.HostCommand;
import dev.fleetlet.oci.testing.RequiredTool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A root filesystem booted with systemd as PID 1 in {@code systemd-nspawn} (private network: loopback
 * only; not registered with machined, so the host needs no systemd of its own). Commands run inside
 * through {@code nsenter} into all of PID 1's namespaces. The whole container is bounded by
 * {@code timeout}, so a crashed test cannot leave it running for long.
 */
final class BootedContainer implements AutoCloseable {

    private final Process nspawn;
    private final long leaderPid;

    private BootedContainer(Process nspawn, long leaderPid) {
        this.nspawn = nspawn;
        this.leaderPid = leaderPid;
    }

    /** Boots {@code root} and waits until systemd reports the system running (or degraded). */
    static BootedContainer boot(Path root, Path consoleLog, Duration maxLifetime) {
        String nspawnBinary = RequiredTool.path("systemd-nspawn", "systemd-container");
        Process p;
        try {
            p = new ProcessBuilder("timeout", "--kill-after=10", Long.toString(maxLifetime.toSeconds()), nspawnBinary,
                    "--quiet", "--directory=" + root, "--boot", "--register=no", "--keep-unit", "--private-network",
                    "--console=pipe").redirectErrorStream(true).redirectOutput(consoleLog.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start systemd-nspawn", e);
        }
        long[] leader = new long[1];
        await("systemd PID 1 of the container (console: " + consoleLog + ")").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .failFast("systemd-nspawn exited; console: " + consoleLog, () -> !p.isAlive())
                .until(() -> {
                    Optional<ProcessHandle> init = p.descendants().filter(h -> "systemd".equals(comm(h.pid()))).findFirst();
                    init.ifPresent(h -> leader[0] = h.pid());
                    return init.isPresent();
                });
        BootedContainer container = new BootedContainer(p, leader[0]);
        // systemctl fails until PID 1 has its private socket; poll instead of relying on --wait alone
        String[] state = {""};
        try {
            await("systemd reports the system running").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .failFast("systemd-nspawn exited; console: " + consoleLog, () -> !p.isAlive())
                    .until(() -> {
                        HostCommand.Result r = container.run("systemctl is-system-running", Duration.ofSeconds(30));
                        state[0] = r.stdout().strip() + " " + r.stderr().strip();
                        return List.of("running", "degraded").contains(r.stdout().strip());
                    });
        } catch (RuntimeException | AssertionError e) {
            container.close();
            throw new AssertionError("the container did not boot: systemctl is-system-running says '" + state[0]
                    + "'; console:\n" + tail(consoleLog), e);
        }
        return container;
    }

    /** Runs {@code script} with /bin/sh inside the container; returns whatever exit code it had. */
    HostCommand.Result run(String script, Duration timeout) {
        return HostCommand.runAllowingFailure(List.of("nsenter", "--target", Long.toString(leaderPid), "--all",
                "/bin/sh", "-c", script), timeout);
    }

    /** A property of a unit, e.g. {@code property("fleetlet-agent.service", "ActiveState")}. */
    String property(String unit, String name) {
        return run("systemctl show --property=" + name + " --value " + unit, Duration.ofSeconds(30)).stdout().strip();
    }

    /** Powers the container off (falls back to killing it). */
    @Override
    public void close() {
        run("systemctl poweroff --no-block", Duration.ofSeconds(30));
        try {
            if (!nspawn.waitFor(30, TimeUnit.SECONDS)) {
                nspawn.descendants().forEach(ProcessHandle::destroyForcibly);
                nspawn.destroyForcibly();
                nspawn.waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(Path file) {
        try {
            String text = Files.readString(file);
            return text.substring(Math.max(0, text.length() - 3000));
        } catch (IOException e) {
            return "(no console log: " + e + ")";
        }
    }

    private static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip();
        } catch (IOException e) {
            return "";
        }
    }
}
