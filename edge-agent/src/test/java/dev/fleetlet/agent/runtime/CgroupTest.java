package dev.fleetlet.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupTest {
    @TempDir
    Path tmp;

    @Test
    void hybridHostIsDrivenThroughItsV1Controllers() {
        CgroupLayout layout = CgroupLayout.parse(List.of(
                "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
                "32 31 0:29 / /sys/fs/cgroup/unified rw,nosuid - cgroup2 cgroup2 rw,nsdelegate",
                "33 31 0:30 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct",
                "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
                "39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids",
                "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd"));

        assertThat(layout).isInstanceOf(CgroupLayout.V1.class);
        CgroupLayout.V1 v1 = (CgroupLayout.V1) layout;
        assertThat(v1.controller("cpuacct")).isEqualTo(Path.of("/sys/fs/cgroup/cpu,cpuacct"));
        assertThat(v1.controller("memory")).isEqualTo(Path.of("/sys/fs/cgroup/memory"));
        assertThat(v1.controllers()).doesNotContainKey("name=systemd");
    }

    @Test
    void raspberryPiOsIsPureV2() {
        CgroupLayout layout = CgroupLayout.parse(List.of(
                "22 1 179:2 / / rw,noatime - ext4 /dev/root rw",
                "30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot"));

        assertThat(layout).isEqualTo(new CgroupLayout.V2(Path.of("/sys/fs/cgroup")));
    }

    @Test
    void refusesAHostWithoutCgroups() {
        assertThatThrownBy(() -> CgroupLayout.parse(List.of("22 1 179:2 / / rw - ext4 /dev/root rw")))
                .hasMessageContaining("no cgroup mounts");
    }

    @Test
    void readsV2StatsFromTheUnifiedFiles() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("fleetlet/web"));
        Files.writeString(dir.resolve("cpu.stat"), "usage_usec 1500000\nuser_usec 1000000\nsystem_usec 500000\n");
        Files.writeString(dir.resolve("memory.current"), "8388608\n");
        Files.writeString(dir.resolve("memory.max"), "33554432\n");
        Files.writeString(dir.resolve("memory.events"), "low 0\nhigh 0\nmax 7\noom 1\noom_kill 1\n");
        Files.writeString(dir.resolve("pids.current"), "4\n");
        Files.writeString(dir.resolve("pids.max"), "max\n");

        CgroupStats stats = new CgroupStatsReader(new CgroupLayout.V2(tmp)).read("/fleetlet/web");

        assertThat(stats).isEqualTo(new CgroupStats(1_500_000_000L, 8_388_608L, 33_554_432L, 7, 1, 4, null));
    }

    @Test
    void readsV1StatsFromPerControllerFiles() throws Exception {
        Path mem = Files.createDirectories(tmp.resolve("memory/fleetlet/web"));
        Path cpu = Files.createDirectories(tmp.resolve("cpuacct/fleetlet/web"));
        Path pids = Files.createDirectories(tmp.resolve("pids/fleetlet/web"));
        Files.writeString(cpu.resolve("cpuacct.usage"), "2500000000\n");
        Files.writeString(mem.resolve("memory.usage_in_bytes"), "1048576\n");
        Files.writeString(mem.resolve("memory.limit_in_bytes"), "9223372036854771712\n");
        Files.writeString(mem.resolve("memory.failcnt"), "0\n");
        Files.writeString(mem.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n");
        Files.writeString(pids.resolve("pids.current"), "3\n");
        Files.writeString(pids.resolve("pids.max"), "20\n");
        CgroupLayout.V1 layout = new CgroupLayout.V1(java.util.Map.of("memory", tmp.resolve("memory"),
                "cpuacct", tmp.resolve("cpuacct"), "pids", tmp.resolve("pids")));

        CgroupStats stats = new CgroupStatsReader(layout).read("/fleetlet/web");

        assertThat(stats).isEqualTo(new CgroupStats(2_500_000_000L, 1_048_576L, null, 0, 0, 3, 20L));
    }

    @Test
    void aMissingCgroupSaysWhichFile() {
        assertThatThrownBy(() -> new CgroupStatsReader(new CgroupLayout.V2(tmp)).read("/fleetlet/gone"))
                .hasMessageContaining("cgroup /fleetlet/gone has no file");
    }

    @Test
    void tellsWhetherAnyProcessIsLeftInAContainersCgroup() throws Exception {
        Path v2 = Files.createDirectories(tmp.resolve("v2"));
        Files.createDirectories(v2.resolve("fleetlet/live"));
        Files.writeString(v2.resolve("fleetlet/live/cgroup.procs"), "4242\n4243\n");
        Files.createDirectories(v2.resolve("fleetlet/ended"));
        Files.writeString(v2.resolve("fleetlet/ended/cgroup.procs"), "");
        CgroupStatsReader reader = new CgroupStatsReader(new CgroupLayout.V2(v2));

        assertThat(reader.hasProcesses("/fleetlet/live")).isTrue();
        assertThat(reader.hasProcesses("/fleetlet/ended")).isFalse();
        assertThat(reader.hasProcesses("/fleetlet/gone")).as("no cgroup, no process").isFalse();

        Path pids = Files.createDirectories(tmp.resolve("v1-pids/fleetlet/live"));
        Files.writeString(pids.resolve("cgroup.procs"), "17\n");
        CgroupStatsReader v1 = new CgroupStatsReader(new CgroupLayout.V1(java.util.Map.of("pids", tmp.resolve("v1-pids"))));
        assertThat(v1.hasProcesses("/fleetlet/live")).isTrue();
        assertThat(new CgroupStatsReader(new CgroupLayout.V1(java.util.Map.of("cpu", tmp))).hasProcesses("/fleetlet/live"))
                .as("cannot tell without a pids or memory hierarchy: ask runc").isTrue();
    }
}
