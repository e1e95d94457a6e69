package dev.fleetlet.agent.containertest;

import dev.fleetlet.agent.hostcmd.HostCommand;
import java.time.Duration;
import java.util.List;

/** Runs a tool in test setup; failures throw with the tool's stderr. */
public final class Exec {
    private Exec() {
    }

    public static String run(String... command) {
        return HostCommand.run(List.of(command), Duration.ofSeconds(120)).stdout();
    }
}
