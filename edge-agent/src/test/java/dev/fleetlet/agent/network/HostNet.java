package dev.fleetlet.agent.network;

import dev.fleetlet.agent.hostcmd.HostCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Host-side commands for the network ITs. */
final class HostNet {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private HostNet() {
    }

    static String sh(String... command) {
        return HostCommand.run(List.of(command), TIMEOUT).stdout();
    }

    static HostCommand.Result shAllowingFailure(String... command) {
        return HostCommand.runAllowingFailure(List.of(command), TIMEOUT);
    }

    /** Runs {@code command} inside the network namespace at {@code netns}. */
    static String inNetns(Path netns, String... command) {
        List<String> full = new ArrayList<>(List.of("nsenter", "--net=" + netns));
        full.addAll(List.of(command));
        return HostCommand.run(full, TIMEOUT).stdout();
    }

    /** Opens a TCP connection from inside {@code netns} and sends one line (bash's /dev/tcp, no client tool needed). */
    static HostCommand.Result connectFrom(Path netns, String address, int port) {
        return HostCommand.runAllowingFailure(List.of("nsenter", "--net=" + netns, "timeout", "5", "bash", "-c",
                "exec 3<>/dev/tcp/" + address + "/" + port + " && echo hello >&3"), TIMEOUT);
    }

    /** The source address the host uses towards the internet, e.g. its eth0 address. */
    static String primaryAddress() {
        String route = sh("ip", "-4", "route", "get", "1.1.1.1");
        String[] f = route.split("\\s+");
        for (int i = 0; i < f.length - 1; i++) {
            if (f[i].equals("src")) {
                return f[i + 1];
            }
        }
        throw new IllegalStateException("no source address in: " + route);
    }
}
