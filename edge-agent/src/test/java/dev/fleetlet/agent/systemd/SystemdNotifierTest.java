package dev.fleetlet.agent.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemdNotifierTest {

    @TempDir
    Path dir;

    /** A stand-in for systemd-notify: records "$NOTIFY_SOCKET $*" per run, then runs {@code tail}. */
    private Path fakeNotify(String name, String tail) throws IOException {
        Path script = dir.resolve(name);
        Files.writeString(script, "#!/bin/sh\nprintf '%s %s\\n' \"$NOTIFY_SOCKET\" \"$*\" >> " + dir.resolve("sent")
                + "\n" + tail + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    private String sent() throws IOException {
        Path f = dir.resolve("sent");
        return Files.exists(f) ? Files.readString(f) : "";
    }

    @Test
    void sendsEachLifeCycleMessageToTheNotifySocketThroughTheCommand() throws IOException {
        // given
        SystemdNotifier notifier = new SystemdNotifier(fakeNotify("systemd-notify", "exit 0"), "/run/systemd/notify",
                Optional.empty(), Duration.ofSeconds(10));

        // when
        notifier.ready();
        notifier.watchdog();
        notifier.status("enrolled\nWATCHDOG=trigger");
        notifier.stopping();

        // then
        assertThat(sent().lines()).containsExactly(
                "/run/systemd/notify READY=1",
                "/run/systemd/notify WATCHDOG=1",
                "/run/systemd/notify STATUS=enrolled WATCHDOG=trigger",
                "/run/systemd/notify STOPPING=1");
    }

    @Test
    void isANoOpOutsideSystemd() throws IOException {
        // given a PATH with the command but no NOTIFY_SOCKET
        fakeNotify("systemd-notify", "exit 0");

        // when
        ServiceNotifier notifier = SystemdNotifier.fromEnvironment(Map.of("PATH", dir.toString()), 42);
        notifier.ready();
        notifier.watchdog();

        // then
        assertThat(notifier).isNotInstanceOf(SystemdNotifier.class);
        assertThat(notifier.watchdogInterval()).isEmpty();
        assertThat(sent()).isEmpty();
    }

    @Test
    void findsTheCommandOnPathAndPingsAtHalfTheWatchdogPeriodOfItsOwnPid() throws IOException {
        fakeNotify("systemd-notify", "exit 0");

        ServiceNotifier notifier = SystemdNotifier.fromEnvironment(Map.of("PATH", dir.toString(),
                "NOTIFY_SOCKET", "@sock", "WATCHDOG_USEC", "60000000", "WATCHDOG_PID", "42"), 42);
        notifier.ready();

        assertThat(notifier.watchdogInterval()).contains(Duration.ofSeconds(30));
        assertThat(sent()).isEqualTo("@sock READY=1\n");
    }

    @Test
    void hasNoWatchdogWhenItIsMeantForAnotherPidOrTheValueIsMalformed() {
        assertThat(SystemdNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "60000000", "WATCHDOG_PID", "7"), 42)).isEmpty();
        assertThat(SystemdNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "60s"), 42)).isEmpty();
        assertThat(SystemdNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "0"), 42)).isEmpty();
        assertThat(SystemdNotifier.watchdogInterval(Map.of(), 42)).isEmpty();
        assertThat(SystemdNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "5000000"), 42)).contains(Duration.ofMillis(2500));
    }

    @Test
    void aFailingOrHangingCommandIsReportedWithoutThrowing() throws IOException {
        SystemdNotifier failing = new SystemdNotifier(fakeNotify("failing", "echo 'No such socket' >&2; exit 1"), "@s",
                Optional.empty(), Duration.ofSeconds(10));
        SystemdNotifier hanging = new SystemdNotifier(fakeNotify("hanging", "exec sleep 30"), "@s",
                Optional.empty(), Duration.ofMillis(300));
        SystemdNotifier missing = new SystemdNotifier(dir.resolve("absent"), "@s", Optional.empty(), Duration.ofSeconds(1));

        assertThat(failing.send("READY=1")).isFalse();
        long start = System.nanoTime();
        assertThat(hanging.send("WATCHDOG=1")).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(missing.send("READY=1")).isFalse();
    }

    @Test
    void fallsBackToNoneWhenTheCommandIsMissing() {
        Path emptyDir = dir.resolve("empty");
        ServiceNotifier notifier = SystemdNotifier.fromEnvironment(Map.of("PATH", emptyDir.toString(),
                "NOTIFY_SOCKET", "@sock"), 1);

        // /usr/bin/systemd-notify may exist on the build machine: then it is found there
        assertThat(notifier instanceof SystemdNotifier)
                .isEqualTo(Files.isExecutable(Path.of("/usr/bin/systemd-notify")) || Files.isExecutable(Path.of("/bin/systemd-notify")));
    }
}
