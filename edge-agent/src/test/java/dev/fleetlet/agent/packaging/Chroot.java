package dev.fleetlet.agent.packaging;

import dev.fleetlet.agent.hostcmd.HostCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Runs shell scripts inside an unpacked root filesystem the way a booted system would see it: in a
 * private mount and PID namespace ({@code unshare}), with the root bind-mounted on itself (so {@code /}
 * is a mount point, as on a real system), {@code /dev} bound from the host and fresh {@code /proc} and
 * {@code /sys}. The namespace dies with the script, so no mount outlives a test, even a crashed one.
 */
final class Chroot {

    private static final String ENTER = "set -e; mount --bind \"$1\" \"$1\"; mount --rbind /dev \"$1/dev\"; "
            + "mount -t proc proc \"$1/proc\"; mount -t sysfs sysfs \"$1/sys\"; exec chroot \"$1\" /bin/sh -c \"$2\"";

    private final Path root;

    Chroot(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** Host path of a path inside the root, e.g. {@code file("/etc/fleetlet/agent.yml")}. */
    Path file(String absolutePath) {
        return root.resolve(absolutePath.replaceFirst("^/+", ""));
    }

    /** Runs {@code script} with /bin/sh inside the root; returns whatever exit code it had. */
    HostCommand.Result run(String script, Duration timeout) {
        return HostCommand.runAllowingFailure(command(script), timeout);
    }

    /** Starts {@code script} in the background; stdout and stderr go to {@code output}. */
    Process start(String script, Path output) {
        try {
            return new ProcessBuilder(command(script)).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start unshare/chroot", e);
        }
    }

    private List<String> command(String script) {
        return List.of("unshare", "--mount", "--pid", "--fork", "--kill-child", "/bin/sh", "-c", ENTER, "sh",
                root.toString(), script);
    }

    /** Single-quotes {@code word} for /bin/sh. */
    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
