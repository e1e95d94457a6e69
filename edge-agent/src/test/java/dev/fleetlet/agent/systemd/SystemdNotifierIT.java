package dev.fleetlet.agent.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetlet.oci.testing.RequiredTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host's real {@code systemd-notify} delivers the agent's messages as datagrams on
 * {@code NOTIFY_SOCKET}. A small python3 receiver stands in for systemd: it prints each datagram and
 * closes the barrier file descriptor systemd-notify (systemd 246+) sends and waits on, as systemd does.
 */
class SystemdNotifierIT {

    private static final String RECEIVER = """
            import array, os, socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            s.bind(sys.argv[1])
            print("listening", flush=True)
            while True:
                msg, anc, _, _ = s.recvmsg(4096, socket.CMSG_SPACE(16 * 4))
                fds = array.array("i")
                for level, kind, data in anc:
                    if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                        fds.frombytes(data[:len(data) - len(data) % fds.itemsize])
                print("msg " + msg.decode() + " fds=" + str(len(fds)), flush=True)
                for fd in fds:
                    os.close(fd)
            """;

    @TempDir
    Path dir;

    @Test
    void deliversReadyWatchdogAndStoppingAsDatagramsOnTheNotifySocket() throws Exception {
        // given a listening stand-in for systemd's notify socket
        String python = RequiredTool.path("python3", "python3");
        String systemdNotify = RequiredTool.path("systemd-notify", "systemd");
        Path socket = dir.resolve("notify.sock");
        Path script = Files.writeString(dir.resolve("receiver.py"), RECEIVER);
        Path received = dir.resolve("received.txt");
        Process receiver = new ProcessBuilder(python, script.toString(), socket.toString()).redirectErrorStream(true)
                .redirectOutput(received.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> read(received).contains("listening"));
            ServiceNotifier notifier = SystemdNotifier.fromEnvironment(Map.of("PATH", Path.of(systemdNotify).getParent().toString(),
                    "NOTIFY_SOCKET", socket.toString(), "WATCHDOG_USEC", "20000000"), 1);
            assertThat(notifier).isInstanceOf(SystemdNotifier.class);

            // when
            notifier.ready();
            notifier.watchdog();
            notifier.stopping();

            // then: each message arrived, each followed by the barrier systemd-notify waited for
            await().atMost(Duration.ofSeconds(10)).until(() -> read(received).contains("msg STOPPING=1"));
            assertThat(read(received).lines().filter(l -> l.startsWith("msg ")))
                    .containsExactly("msg READY=1 fds=0", "msg BARRIER=1 fds=1", "msg WATCHDOG=1 fds=0",
                            "msg BARRIER=1 fds=1", "msg STOPPING=1 fds=0", "msg BARRIER=1 fds=1");
            assertThat(notifier.watchdogInterval()).contains(Duration.ofSeconds(10));
        } finally {
            receiver.destroyForcibly();
            receiver.waitFor();
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }
}
