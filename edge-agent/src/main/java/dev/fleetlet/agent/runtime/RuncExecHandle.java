package dev.fleetlet.agent.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code runc exec} child process and the host pid of the command it runs (from its {@code --pid-file}).
 * {@link #kill} SIGKILLs the command itself, not runc exec: runc exec is the command's reaper, and killed
 * first it would leave the command (or its zombie) to the container's init, which may never reap it.
 * Killing may block up to about 3 s when runc has not yet written the pid file or does not exit.
 */
final class RuncExecHandle implements ContainerRuntime.ExecHandle {
    private static final Logger log = LoggerFactory.getLogger(RuncExecHandle.class);

    private final Process process;
    private final Path pidFile;

    RuncExecHandle(Process process, Path pidFile) {
        this.process = process;
        this.pidFile = pidFile;
    }

    @Override
    public Optional<Integer> exitCode() {
        if (process.isAlive()) {
            return Optional.empty();
        }
        deletePidFile();
        return Optional.of(process.exitValue());
    }

    @Override
    public void kill() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (process.isAlive() && System.nanoTime() < deadline) {
            try {
                long pid = Long.parseLong(Files.readString(pidFile).strip());
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                break;
            } catch (IOException | NumberFormatException e) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // runc writes it once the command runs
            }
        }
        try {
            if (!process.waitFor(1, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        deletePidFile();
    }

    private void deletePidFile() {
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            log.debug("cannot delete file={} error={}", pidFile, e.getMessage());
        }
    }
}
