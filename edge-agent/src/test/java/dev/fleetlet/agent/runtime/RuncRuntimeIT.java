package dev.fleetlet.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.fleetlet.agent.containertest.RuncFixture;
import dev.fleetlet.oci.testing.Exec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs busybox containers with the real runc (as root) and checks isolation and cgroup limits. */
class RuncRuntimeIT {
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path tmp;

    private RuncFixture fx;
    private Path rootfs;

    @BeforeEach
    void setUp() throws Exception {
        fx = new RuncFixture(tmp);
        rootfs = fx.busyboxRootfs("rootfs");
    }

    @AfterEach
    void tearDown() {
        fx.cleanUp();
    }

    @Test
    void runsBusyboxInItsOwnNamespacesAndCapturesStdoutAndStderr() throws Exception {
        ContainerSpec spec = ContainerSpec.builder("hello", rootfs,
                        List.of("sh", "-c", "echo out-$GREETING; echo err-line >&2; hostname; echo pid=$$; ls /sys/class/net"))
                .env("GREETING", "hi").hostname("board-app").build();

        long t0 = System.nanoTime();
        fx.runtime.start(spec);
        long startMillis = (System.nanoTime() - t0) / 1_000_000;
        int exit = fx.runtime.awaitExit("hello", Duration.ofSeconds(10)).orElseThrow();

        assertThat(exit).isZero();
        assertThat(fx.stdout("hello")).contains("out-hi", "board-app", "pid=1").doesNotContain("eth0");
        assertThat(fx.stderr("hello")).contains("err-line");
        System.out.println("BENCH container-start runtime=runc startMillis=" + startMillis);
    }

    @Test
    void aStartThatCannotOpenItsLogFilesLeavesNoContainerShimOrPumpThreadBehind() throws Exception {
        // given: a directory where the container's stderr log file would go
        Files.createDirectories(fx.runtime.logDir("nolog").resolve("stderr.log"));
        ContainerSpec spec = ContainerSpec.builder("nolog", rootfs, List.of("sleep", "30")).build();

        // when
        assertThatThrownBy(() -> fx.runtime.start(spec)).hasMessageContaining("container nolog");

        // then: for a while, no runc container, no shim and no log pump of it (a runc already started would have
        // created the container by then)
        Path dir = fx.root.resolve("containers").resolve("nolog");
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() ->
                !fx.runc.hasState("nolog") && ContainerShim.alive(dir).isEmpty()
                        && Thread.getAllStackTraces().keySet().stream().noneMatch(th -> th.getName().startsWith("logs-nolog")));
    }

    @Test
    void dropsCapabilitiesOutsideTheDefaultSet() throws Exception {
        ContainerSpec spec = ContainerSpec.builder("caps", rootfs,
                List.of("sh", "-c", "grep CapEff /proc/self/status; hostname other 2>&1 || echo hostname-denied")).build();

        fx.runtime.start(spec);
        fx.runtime.awaitExit("caps", Duration.ofSeconds(10)).orElseThrow();

        String capEff = fx.stdout("caps").lines().filter(l -> l.startsWith("CapEff")).findFirst().orElseThrow();
        long mask = Long.parseLong(capEff.split("\\s+")[1], 16);
        assertThat(mask & (1L << 21)).as("CAP_SYS_ADMIN dropped").isZero();
        assertThat(mask & (1L << 0)).as("CAP_CHOWN kept").isNotZero();
        assertThat(fx.stdout("caps")).contains("hostname-denied");
    }

    @Test
    void hostNetworkSeesTheHostInterfaces() throws Exception {
        String hostInterfaces = String.join(" ", new java.util.TreeSet<>(java.util.Arrays.asList(
                new java.io.File("/sys/class/net").list())));
        ContainerSpec spec = ContainerSpec.builder("hostnet", rootfs, List.of("sh", "-c", "echo $(ls /sys/class/net)"))
                .hostNetwork(true).build();

        fx.runtime.start(spec);

        assertThat(fx.runtime.awaitExit("hostnet", Duration.ofSeconds(10))).contains(0);
        assertThat(fx.stdout("hostnet").strip()).isEqualTo(hostInterfaces);
    }

    @Test
    void readOnlyRootStillWritesToItsVolumeAsANonRootUser() throws Exception {
        ContainerSpec spec = ContainerSpec.builder("ro", rootfs, List.of("sh", "-c",
                        "id -u; grep CapEff /proc/self/status; touch /etc/x 2>/dev/null || echo root-readonly; echo ok > /data/f && echo volume-writable"))
                .readOnlyRoot(true).user(1000, 1000).volume("rodata", "/data", false).build();
        Exec.run("chown", "1000:1000", fx.volumes.ensure("rodata").toString());

        fx.runtime.start(spec);

        assertThat(fx.runtime.awaitExit("ro", Duration.ofSeconds(10))).contains(0);
        assertThat(fx.stdout("ro")).contains("1000", "root-readonly", "volume-writable").containsPattern("CapEff:\\s+0+\\n");
    }

    @Test
    void memoryHogIsOomKilledAtItsLimit() throws Exception {
        ContainerSpec spec = ContainerSpec.builder("memhog", rootfs,
                        List.of("dd", "if=/dev/zero", "of=/dev/null", "bs=96M", "count=1"))
                .resources(new Resources(24 * MIB, null, null)).build();

        fx.runtime.start(spec);
        int exit = fx.runtime.awaitExit("memhog", Duration.ofSeconds(20)).orElseThrow();
        CgroupStats stats = fx.runtime.stats("memhog");

        System.out.println("memhog exit=" + exit + " stats=" + stats);
        assertThat(exit).as("SIGKILL by the OOM killer").isEqualTo(137);
        assertThat(stats.memoryLimitBytes()).isEqualTo(24 * MIB);
        assertThat(stats.oomKills() + stats.memoryFailCount()).isPositive();
    }

    @Test
    void forkBombStopsAtThePidsLimit() throws Exception {
        ContainerSpec spec = ContainerSpec.builder("forkbomb", rootfs,
                        List.of("sh", "-c", "b(){ b|b& }; b; exec sleep 60"))
                .resources(new Resources(null, 500L, 20L)).build();
        fx.runtime.start(spec);
        AtomicLong maxSeen = new AtomicLong();

        // the kernel counts every fork it refused at the limit in pids.events ("max N"): the bomb has hit the wall
        // once that is non-zero. Sampling pids.current alone can miss the peak: the bomb's branches die as fast as
        // they fork, and under a CPU quota on a busy machine the count may sit below the limit at every sample.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            maxSeen.accumulateAndGet(fx.runtime.stats("forkbomb").pidsCurrent(), Math::max);
            return pidsRefusedAtLimit("forkbomb") > 0;
        });
        for (int i = 0; i < 50; i++) {
            maxSeen.accumulateAndGet(fx.runtime.stats("forkbomb").pidsCurrent(), Math::max);
        }

        System.out.println("forkbomb maxPids=" + maxSeen.get() + " limit=20 " + pidsEvents("forkbomb"));
        assertThat(maxSeen.get()).as("processes in the container at any sample").isBetween(2L, 20L);
        assertThat(fx.runtime.stats("forkbomb").pidsLimit()).isEqualTo(20);
        fx.runtime.stop("forkbomb", Duration.ofMillis(200));
        assertThat(fx.runtime.status("forkbomb").orElseThrow().state()).isEqualTo(ContainerStatus.State.EXITED);
    }

    @Test
    void cpuHogIsHeldToItsQuota() throws Exception {
        ContainerSpec spec = ContainerSpec.builder("cpuhog", rootfs, List.of("sh", "-c", "while :; do :; done"))
                .resources(new Resources(null, 200L, null)).build();
        fx.runtime.start(spec);

        long cpu0 = fx.runtime.stats("cpuhog").cpuUsageNanos();
        long wall0 = System.nanoTime();
        Thread.sleep(2000); // a fixed measuring window, not a wait for a condition
        long cpu1 = fx.runtime.stats("cpuhog").cpuUsageNanos();
        long wall1 = System.nanoTime();

        double share = (double) (cpu1 - cpu0) / (wall1 - wall0);
        System.out.printf("BENCH cpu-quota quotaCpus=0.20 measuredCpus=%.3f windowMs=%d%n", share, (wall1 - wall0) / 1_000_000);
        assertThat(share).isBetween(0.10, 0.25);
    }

    @Test
    void namedVolumeSurvivesDeletingAndRecreatingTheContainer() throws Exception {
        ContainerSpec writer = ContainerSpec.builder("app", rootfs, List.of("sh", "-c", "echo release-1 > /data/state"))
                .volume("appdata", "/data", false).build();
        fx.runtime.start(writer);
        assertThat(fx.runtime.awaitExit("app", Duration.ofSeconds(10))).contains(0);
        fx.runtime.remove("app");

        ContainerSpec reader = ContainerSpec.builder("app", rootfs, List.of("cat", "/data/state"))
                .volume("appdata", "/data", true).build();
        fx.runtime.start(reader);

        assertThat(fx.runtime.awaitExit("app", Duration.ofSeconds(10))).contains(0);
        assertThat(fx.stdout("app")).contains("release-1");
        assertThat(fx.volumes.list()).containsExactly("appdata");
    }

    @Test
    void passesThroughADeviceAndDeniesOthers() throws Exception {
        Path hostNode = tmp.resolve("gpiochip-test");
        dev.fleetlet.oci.testing.Exec.run("mknod", hostNode.toString(), "c", "1", "3");
        ContainerSpec spec = ContainerSpec.builder("gpio", rootfs, List.of("sh", "-c",
                        "echo x > /dev/gpiochip0 && echo passthrough-ok; mknod /dev/mem2 c 1 1; head -c 1 /dev/mem2 || echo mem-denied"))
                .device(hostNode, "/dev/gpiochip0").build();

        fx.runtime.start(spec);
        fx.runtime.awaitExit("gpio", Duration.ofSeconds(10)).orElseThrow();

        assertThat(fx.stdout("gpio")).contains("passthrough-ok", "mem-denied");
    }

    @Test
    void logsAreBoundedByRotation() throws Exception {
        ContainerSpec spec = ContainerSpec.builder("chatty", rootfs,
                List.of("sh", "-c", "i=0; while [ $i -lt 20000 ]; do echo line-$i-padding-padding-padding; i=$((i+1)); done")).build();

        fx.runtime.start(spec);
        fx.runtime.awaitExit("chatty", Duration.ofSeconds(30)).orElseThrow();

        Path logs = fx.runtime.logDir("chatty");
        try (var files = Files.list(logs)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertThat(names).contains("stdout.log", "stdout.log.1", "stdout.log.2").doesNotContain("stdout.log.3");
        }
        assertThat(Files.size(logs.resolve("stdout.log.1"))).isEqualTo(64 * 1024);
        assertThat(fx.stdout("chatty")).contains("line-19999-");
    }

    /** Forks the kernel refused because the container's cgroup was at its pids limit. */
    private long pidsRefusedAtLimit(String id) {
        String events = pidsEvents(id);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("max (\\d+)").matcher(events);
        assertThat(m.find()).as("pids.events of %s: %s", id, events).isTrue();
        return Long.parseLong(m.group(1));
    }

    private String pidsEvents(String id) {
        try {
            if (fx.layout instanceof CgroupLayout.V1 v1) {
                return "pids.events=" + Files.readString(v1.controller("pids").resolve("fleetlet/" + id + "/pids.events")).strip();
            }
            return "pids.events=" + Files.readString(((CgroupLayout.V2) fx.layout).mountPoint().resolve("fleetlet/" + id + "/pids.events")).strip();
        } catch (java.io.IOException e) {
            return "pids.events=unreadable";
        }
    }
}
