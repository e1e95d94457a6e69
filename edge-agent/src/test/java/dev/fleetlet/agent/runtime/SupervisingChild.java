package dev.fleetlet.agent.runtime;

import dev.fleetlet.agent.containertest.RuncFixture;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The agent stand-in {@link SupervisorAdoptionIT} SIGKILLs: supervises {@link #tickerSpec} on the given root,
 * prints {@code started}, then idles until killed.
 */
public final class SupervisingChild {

    private SupervisingChild() {
    }

    /** A container printing {@code tick-<n>} ten times a second, forever. */
    static ContainerSpec tickerSpec(String id, Path rootfs) {
        return ContainerSpec.builder(id, rootfs,
                List.of("sh", "-c", "i=0; while :; do echo tick-$i; i=$((i+1)); sleep 0.1; done")).build();
    }

    public static void main(String[] args) throws InterruptedException {
        Path root = Path.of(args[0]);
        Path rootfs = Path.of(args[1]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        RuncFixture fx = new RuncFixture(root);
        RuncSupervisor sup = new RuncSupervisor(fx.runtime, Clock.systemUTC(), RuncSupervisor.Settings.defaults());
        ServiceState s = sup.supervise(tickerSpec("ticker", rootfs), RestartRule.of(RestartPolicy.ALWAYS), null);
        out.println("started " + s.state());
        new CountDownLatch(1).await();
    }
}
