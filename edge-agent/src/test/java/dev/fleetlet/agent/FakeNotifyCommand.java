package dev.fleetlet.agent;

import dev.fleetlet.agent.systemd.SystemdNotifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A stand-in for systemd-notify (as in SystemdNotifierTest): appends each message it is run with to a file. */
final class FakeNotifyCommand {

    private final Path sent;
    private final Path script;

    FakeNotifyCommand(Path dir) throws IOException {
        this.sent = dir.resolve("sent");
        this.script = dir.resolve("systemd-notify");
        Files.writeString(script, "#!/bin/sh\nprintf '%s\\n' \"$*\" >> " + sent + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A real {@link SystemdNotifier} running the fake command; {@code watchdog} is the ping interval. */
    SystemdNotifier notifier(Optional<Duration> watchdog) {
        return new SystemdNotifier(script, "/run/systemd/notify", watchdog, Duration.ofSeconds(10));
    }

    /** The messages sent so far, in order. */
    List<String> messages() throws IOException {
        return Files.exists(sent) ? Files.readAllLines(sent) : List.of();
    }

    long count(String message) throws IOException {
        return messages().stream().filter(message::equals).count();
    }
}
