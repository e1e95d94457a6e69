package dev.fleetlet.agent.command;

import dev.fleetlet.agent.hostcmd.HostCommand;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SystemActions} on a real board: runs the configured reboot command (default
 * {@code systemctl reboot}, 30 s timeout, non-zero exit is a failure) and exits with the configured code
 * for {@code restart-agent} (the systemd unit has {@code Restart=always}); the JVM's shutdown hooks still
 * publish the shutdown presence and close the queue.
 */
public final class HostSystemActions implements SystemActions {

    private static final Logger log = LoggerFactory.getLogger(HostSystemActions.class);

    private final List<String> rebootCommand;
    private final int restartExitCode;

    public HostSystemActions(List<String> rebootCommand, int restartExitCode) {
        this.rebootCommand = List.copyOf(rebootCommand);
        this.restartExitCode = restartExitCode;
    }

    @Override
    public void reboot() {
        log.warn("rebooting on command command={}", rebootCommand);
        HostCommand.run(rebootCommand, Duration.ofSeconds(30));
    }

    @Override
    public void exitForRestart() {
        log.warn("exiting for a restart on command exitCode={}", restartExitCode);
        System.exit(restartExitCode);
    }
}
