package dev.fleetlet.agent.enroll;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.protocol.message.HardwareFacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HardwareProbeTest {

    @TempDir
    Path root;

    @Test
    void prefersTheDeviceTreeSerialAndStripsItsTrailingNul() throws IOException {
        write("proc/device-tree/serial-number", "10000000A1B2C3D4\u0000");
        write("proc/cpuinfo", "Serial\t\t: 00000000deadbeef\n");
        write("etc/machine-id", "0123456789abcdef0123456789abcdef\n");

        assertThat(probe().serial()).contains("10000000a1b2c3d4");
    }

    @Test
    void fallsBackToCpuinfoThenMachineId() throws IOException {
        write("proc/cpuinfo", "processor\t: 0\nHardware\t: BCM2835\nSerial\t\t: 00000000deadbeef\nModel\t: Pi\n");
        assertThat(probe().serial()).contains("00000000deadbeef");

        write("proc/cpuinfo", "Serial\t\t: 0000000000000000\n");
        write("etc/machine-id", "0123456789ABCDEF0123456789abcdef\n");
        assertThat(probe().serial()).contains("0123456789abcdef0123456789abcdef");
    }

    @Test
    void hasNoSerialOnAnEmptyTree() {
        assertThat(probe().serial()).isEmpty();
    }

    @Test
    void readsModelMemoryKernelOsAndCapabilities() throws IOException {
        write("proc/device-tree/model", "Raspberry Pi 4 Model B Rev 1.4\u0000");
        write("proc/meminfo", "MemTotal:        3887200 kB\nMemFree: 1 kB\n");
        write("proc/sys/kernel/osrelease", "6.6.31+rpt-rpi-v8\n");
        write("etc/os-release", "NAME=\"Debian\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n");
        write("sys/fs/cgroup/cgroup.controllers", "cpu memory pids\n");
        write("dev/i2c-1", "");

        HardwareFacts facts = probe().facts("abc");

        assertThat(facts.model()).isEqualTo("Raspberry Pi 4 Model B Rev 1.4");
        assertThat(facts.memoryMb()).isEqualTo(3796);
        assertThat(facts.kernel()).isEqualTo("6.6.31+rpt-rpi-v8");
        assertThat(facts.os()).isEqualTo("Debian GNU/Linux 12 (bookworm)");
        assertThat(facts.arch()).isEqualTo("arm64");
        assertThat(facts.variant()).isEqualTo("v8");
        assertThat(facts.capabilities()).containsExactly("cgroup:v2", "i2c");
    }

    private HardwareProbe probe() {
        return new HardwareProbe(root, "0.1.0", "aarch64");
    }

    private void write(String relative, String content) throws IOException {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }
}
