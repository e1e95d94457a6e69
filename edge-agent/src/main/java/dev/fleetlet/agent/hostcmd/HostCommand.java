package dev.fleetlet.agent.hostcmd;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a host tool (runc, mount, mknod) with a timeout, capturing stdout and stderr. A non-zero
 * exit or a timeout becomes a {@link HostCommandException} whose message carries the command and
 * its stderr, so the failure explains itself in logs and reports.
 */
public final class HostCommand {

    /** The outcome of a finished command. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
    }

    private HostCommand() {
    }

    /** Runs and requires exit 0. */
    public static Result run(List<String> command, Duration timeout) {
        Result r = runAllowingFailure(command, timeout);
        if (r.exitCode() != 0) {
            throw new HostCommandException(r.command(), r.exitCode(), r.stderr().isBlank() ? r.stdout() : r.stderr());
        }
        return r;
    }

    /** Runs and returns whatever exit code the command had; throws only on start failure or timeout. */
    public static Result runAllowingFailure(List<String> command, Duration timeout) {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new HostCommandException(command, -1, "cannot start: " + e.getMessage());
        }
        try {
            p.getOutputStream().close();
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new HostCommandException(command, -1, "timed out after " + timeout.toMillis() + " ms");
            }
            return new Result(List.copyOf(command), p.exitValue(), out.join().strip(), err.join().strip());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new HostCommandException(command, -1, "interrupted");
        } catch (IOException e) {
            throw new HostCommandException(command, -1, e.getMessage());
        }
    }

    private static void startDrainThread(Runnable r) {
        Thread t = new Thread(r, "hostcmd-drain");
        t.setDaemon(true);
        t.start();
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                in.transferTo(buf);
                return buf.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, HostCommand::startDrainThread);
    }
}
