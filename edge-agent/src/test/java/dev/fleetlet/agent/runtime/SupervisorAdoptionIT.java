package dev.fleetlet.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetlet.agent.containertest.RuncFixture;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Containers outlive the agent: a supervisor goes away without stopping them (closed, or its JVM SIGKILLed),
 * and a new supervisor on a new runtime object over the same root finds and adopts them.
 */
class SupervisorAdoptionIT {
    private static final Pattern TICK = Pattern.compile("tick-(\\d+)");
    private static final RuncSupervisor.Settings FAST = new RuncSupervisor.Settings(Duration.ofMillis(50),
            Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(2));

    @TempDir
    Path tmp;

    private RuncFixture fx;
    private Path rootfs;
    private RuncSupervisor first;
    private RuncSupervisor second;

    @BeforeEach
    void setUp() throws Exception {
        fx = new RuncFixture(tmp);
        rootfs = fx.busyboxRootfs("rootfs");
    }

    @AfterEach
    void tearDown() {
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
        fx.cleanUp();
    }

    @Test
    void aNewSupervisorAdoptsRunningContainersAndSeesExitsThatHappenedWhileNoneRan() throws Exception {
        first = new RuncSupervisor(fx.runtime, Clock.systemUTC(), FAST);
        ContainerSpec ticker = SupervisingChild.tickerSpec("ticker", rootfs);
        ContainerSpec ender = ContainerSpec.builder("ender", rootfs, List.of("sh", "-c", "sleep 1; echo bye; exit 3")).build();
        first.supervise(ticker, RestartRule.of(RestartPolicy.ALWAYS), null);
        first.supervise(ender, RestartRule.of(RestartPolicy.NEVER), null);
        long pid = fx.runc.state("ticker").orElseThrow().pid();
        await().atMost(Duration.ofSeconds(5)).until(() -> lastTick() >= 3);

        first.close(); // the agent goes away: nothing stopped, nobody reads the logs
        int ticksBefore = lastTick();
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.runc.state("ender").orElseThrow().status().equals("stopped"));
        Thread.sleep(1500); // a fixed window with no agent, not a wait for a condition: ticks pile up in the pipe
        assertThat(lastTick()).as("nothing captured while no supervisor ran").isEqualTo(ticksBefore);

        second = new RuncSupervisor(fx.newRuntime(), Clock.systemUTC(), FAST);
        assertThat(second.unsupervised()).containsExactlyInAnyOrder("ticker", "ender");
        ServiceState adopted = second.supervise(ticker, RestartRule.of(RestartPolicy.ALWAYS), null);
        ServiceState ended = second.supervise(ender, RestartRule.of(RestartPolicy.NEVER), null);

        assertThat(adopted.state()).isEqualTo(ServiceState.State.RUNNING);
        assertThat(adopted.restarts()).isZero();
        assertThat(fx.runc.state("ticker").orElseThrow().pid()).as("same process, not restarted").isEqualTo(pid);
        assertThat(ended.state()).isEqualTo(ServiceState.State.EXITED);
        assertThat(ended.lastExitCode()).as("exit code recorded while no agent ran").isEqualTo(3);
        assertThat(fx.stdout("ender")).as("output written while no agent ran").contains("bye");
        assertThat(second.unsupervised()).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> lastTick() > ticksBefore + 15);
        assertConsecutiveTicks();
    }

    @Test
    void aContainerOfASigkilledAgentJvmKeepsRunningAndIsAdopted() throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(javaBin, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                SupervisingChild.class.getName(), tmp.toString(), rootfs.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("started RUNNING");
        } finally {
            await().atMost(Duration.ofSeconds(5)).until(() -> lastTick() >= 3);
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close()
            child.waitFor(10, TimeUnit.SECONDS);
        }
        long pid = fx.runc.state("ticker").orElseThrow().pid();
        int ticksAtKill = lastTick();
        Thread.sleep(1000); // a fixed window with no agent, not a wait for a condition
        assertThat(fx.runc.state("ticker").orElseThrow().status()).isEqualTo("running");

        second = new RuncSupervisor(fx.newRuntime(), Clock.systemUTC(), FAST);
        assertThat(second.unsupervised()).containsExactly("ticker");
        ServiceState adopted = second.supervise(SupervisingChild.tickerSpec("ticker", rootfs), RestartRule.of(RestartPolicy.ALWAYS), null);

        assertThat(adopted.state()).isEqualTo(ServiceState.State.RUNNING);
        assertThat(adopted.restarts()).isZero();
        assertThat(fx.runc.state("ticker").orElseThrow().pid()).isEqualTo(pid);
        await().atMost(Duration.ofSeconds(5)).until(() -> lastTick() > ticksAtKill + 15);
        assertConsecutiveTicks();
        // and the adopted container is supervised for real: killed, it is restarted
        fx.runc.kill("ticker", "KILL", true);
        await().atMost(Duration.ofSeconds(5)).until(() -> second.state("ticker").orElseThrow().restarts() == 1);
        assertThat(second.state("ticker").orElseThrow().lastExitCode()).isEqualTo(137);
    }

    @Test
    void adoptingWithAChangedSpecReplacesTheContainer() {
        first = new RuncSupervisor(fx.runtime, Clock.systemUTC(), FAST);
        first.supervise(SupervisingChild.tickerSpec("ticker", rootfs), RestartRule.of(RestartPolicy.ALWAYS), null);
        long pid = fx.runc.state("ticker").orElseThrow().pid();
        first.close();

        second = new RuncSupervisor(fx.newRuntime(), Clock.systemUTC(), FAST);
        ContainerSpec changed = ContainerSpec.builder("ticker", rootfs, List.of("sleep", "60")).env("RELEASE", "2").build();
        ServiceState s = second.supervise(changed, RestartRule.of(RestartPolicy.ALWAYS), null);

        assertThat(s.state()).isEqualTo(ServiceState.State.RUNNING);
        assertThat(fx.runc.state("ticker").orElseThrow().pid()).isNotEqualTo(pid);
    }

    @Test
    void aContainerWhoseShimWasKilledEndsWithAnUnknownExitCodeCountedAsFailure() throws Exception {
        first = new RuncSupervisor(fx.runtime, Clock.systemUTC(), FAST);
        first.supervise(SupervisingChild.tickerSpec("ticker", rootfs), RestartRule.of(RestartPolicy.ON_FAILURE), null);
        first.close();
        long shim = Long.parseLong(java.nio.file.Files.readString(tmp.resolve("containers/ticker/shim.pid")).strip());

        // what systemd's KillMode=mixed/control-group does to the agent's cgroup: SIGKILL the shim and runc
        ProcessHandle.of(shim).orElseThrow().descendants().filter(p -> p.info().command().orElse("").endsWith("runc"))
                .forEach(ProcessHandle::destroyForcibly);
        ProcessHandle.of(shim).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(shim).map(p -> !p.isAlive()).orElse(true));
        // the container survives (as its namespace's init it ignores the SIGPIPE; its output is lost) ...
        assertThat(fx.runc.state("ticker").orElseThrow().status()).isEqualTo("running");
        assertThat(fx.newRuntime().status("ticker").orElseThrow().state()).isEqualTo(ContainerStatus.State.RUNNING);
        // ... and when it ends, nobody records how
        fx.runc.kill("ticker", "KILL", true);
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.runc.state("ticker").orElseThrow().status().equals("stopped"));

        second = new RuncSupervisor(fx.newRuntime(), Clock.systemUTC(), FAST);
        ServiceState s = second.supervise(SupervisingChild.tickerSpec("ticker", rootfs), RestartRule.of(RestartPolicy.ON_FAILURE), null);

        assertThat(s.lastExitCode()).isNull();
        assertThat(s.lastError()).contains("exit status unknown");
        assertThat(s.state()).as("unknown counts as failure: on-failure restarts it").isEqualTo(ServiceState.State.RESTARTING);
        await().atMost(Duration.ofSeconds(5)).until(() -> second.state("ticker").orElseThrow().state() == ServiceState.State.RUNNING);
    }

    /** The highest tick number in the captured stdout (rotated files included), -1 when none. */
    private int lastTick() throws Exception {
        List<Integer> ticks = ticks();
        return ticks.isEmpty() ? -1 : ticks.get(ticks.size() - 1);
    }

    private List<Integer> ticks() throws Exception {
        Matcher m = TICK.matcher(fx.stdout("ticker"));
        List<Integer> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(Integer.parseInt(m.group(1)));
        }
        return out;
    }

    /** Every line the container wrote is there once, in order: nothing lost or doubled across the hand-over. */
    private void assertConsecutiveTicks() throws Exception {
        List<Integer> ticks = ticks();
        for (int i = 0; i < ticks.size(); i++) {
            assertThat(ticks.get(i)).as("tick at line %d", i).isEqualTo(i);
        }
    }
}
