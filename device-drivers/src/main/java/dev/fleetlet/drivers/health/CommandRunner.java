package dev.fleetlet.drivers.health;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short command and returns its standard output. Injected so tests use canned output. */
@FunctionalInterface
public interface CommandRunner {

    /**
     * @throws IOException when the command cannot be started, exits non-zero or exceeds the timeout
     */
    String run(List<String> command, Duration timeout) throws IOException;

    /** Runs the command with {@link ProcessBuilder}; stderr is merged; the process is killed on timeout. */
    CommandRunner PROCESS = (command, timeout) -> {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(command.get(0) + " timed out after " + timeout.toMillis() + " ms");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException(command.get(0) + " exited with " + p.exitValue() + ": " + out.trim());
            }
            return out;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(command.get(0) + " interrupted", e);
        }
    };
}
