package dev.fleetlet.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.protocol.message.SystemHealth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemHealthReaderTest {

    @TempDir
    Path root;

    private void write(String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private SystemHealth read() throws IOException {
        Path data = Files.createDirectories(root.resolve("var/lib/fleetlet"));
        return new SystemHealthReader(root, data).read();
    }

    @Test
    void readsMemoryTemperatureAndUptimeFromKernelFiles() throws Exception {
        // given
        write("proc/meminfo", """
                MemTotal:         946364 kB
                MemFree:          120000 kB
                MemAvailable:     598016 kB
                """);
        write("sys/class/thermal/thermal_zone0/temp", "51234\n");
        write("proc/uptime", "86412.37 170000.12\n");

        // when
        SystemHealth h = read();

        // then
        assertThat(h.memoryTotalBytes()).isEqualTo(946364L * 1024);
        assertThat(h.memoryAvailableBytes()).isEqualTo(598016L * 1024);
        assertThat(h.cpuTemperatureC()).isEqualTo(51.234);
        assertThat(h.uptimeSeconds()).isEqualTo(86412L);
        assertThat(h.diskTotalBytes()).isPositive();
        assertThat(h.diskFreeBytes()).isBetween(0L, h.diskTotalBytes());
    }

    @Test
    void leavesEverythingTheKernelDoesNotExposeNull() throws Exception {
        // given: an empty root (no proc, no sys)

        // when
        SystemHealth h = read();

        // then
        assertThat(h.memoryTotalBytes()).isNull();
        assertThat(h.cpuTemperatureC()).isNull();
        assertThat(h.uptimeSeconds()).isNull();
        assertThat(h.underVoltage()).isNull();
        assertThat(h.throttled()).isNull();
        assertThat(h.throttleFlags()).isNull();
    }

    @Test
    void reportsUnderVoltageFromTheRpiVoltHwmonOfDebiansKernel() throws Exception {
        // given: another hwmon first, then rpi_volt with the alarm raised
        write("sys/class/hwmon/hwmon0/name", "cpu_thermal\n");
        write("sys/class/hwmon/hwmon0/in0_lcrit_alarm", "0\n");
        write("sys/class/hwmon/hwmon1/name", "rpi_volt\n");
        write("sys/class/hwmon/hwmon1/in0_lcrit_alarm", "1\n");

        // when
        SystemHealth h = read();

        // then: the hwmon says nothing about throttling
        assertThat(h.underVoltage()).isTrue();
        assertThat(h.throttled()).isNull();
        assertThat(h.throttleFlags()).isNull();
    }

    @Test
    void healthyRpiVoltHwmonIsNotUnderVoltage() throws Exception {
        write("sys/class/hwmon/hwmon1/name", "rpi_volt\n");
        write("sys/class/hwmon/hwmon1/in0_lcrit_alarm", "0\n");

        assertThat(read().underVoltage()).isFalse();
    }

    @Test
    void decodesTheFirmwareThrottleBitFieldOfTheRaspberryPiKernel() throws Exception {
        // given: under-voltage now, throttled now, under-voltage and throttling since boot
        write("sys/devices/platform/soc/soc:firmware/get_throttled", "50005\n");

        // when
        SystemHealth h = read();

        // then
        assertThat(h.throttleFlags()).isEqualTo(0x50005);
        assertThat(h.underVoltage()).isTrue();
        assertThat(h.throttled()).isTrue();
        assertThat(h.underVoltageSinceBoot()).isTrue();
    }

    @Test
    void firmwareFlagsOnlySinceBootAreNotCurrentProblems() throws Exception {
        write("sys/devices/platform/soc/soc:firmware/get_throttled", "0x50000\n");

        SystemHealth h = read();

        assertThat(h.underVoltage()).isFalse();
        assertThat(h.throttled()).isFalse();
        assertThat(h.underVoltageSinceBoot()).isTrue();
    }

    @Test
    void ignoresGarbageInKernelFiles() throws Exception {
        // given
        write("sys/class/thermal/thermal_zone0/temp", "n/a\n");
        write("proc/meminfo", "MemTotal: lots kB\n");
        write("sys/devices/platform/soc/soc:firmware/get_throttled", "zz\n");

        // when
        SystemHealth h = read();

        // then
        assertThat(h.cpuTemperatureC()).isNull();
        assertThat(h.memoryTotalBytes()).isNull();
        assertThat(h.throttleFlags()).isNull();
    }

    @Test
    void parsesVcgencmdStyleFlags() {
        assertThat(SystemHealthReader.parseFlags("throttled=0x4")).isEqualTo(4);
        assertThat(SystemHealthReader.parseFlags("0")).isEqualTo(0);
        assertThat(SystemHealthReader.parseFlags("-")).isNull();
    }
}
