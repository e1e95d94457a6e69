package dev.fleetlet.drivers.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.drivers.Quality;
import dev.fleetlet.drivers.Reading;
import dev.fleetlet.drivers.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoardHealthFaultsTest {

    @TempDir
    Path root;

    private FakeProcTree tree;
    private String vcgencmdOutput = "throttled=0x0\n";
    private boolean diskFails;

    @BeforeEach
    void tree() {
        tree = new FakeProcTree(root);
    }

    private BoardHealthSensor sensor(BoardHealthSensor.ThrottledSource source, int stuckSamples) {
        return new BoardHealthSensor(new BoardHealthSensor.Settings("health", root, root, source, stuckSamples),
                MutableClock.at("2025-06-01T12:00:00Z"),
                (cmd, timeout) -> {
                    assertThat(cmd).containsExactly("vcgencmd", "get_throttled");
                    return vcgencmdOutput;
                },
                dir -> {
                    if (diskFails) {
                        throw new IOException("No such file or directory");
                    }
                    return new long[] {1000, 250};
                });
    }

    private static Reading reading(List<Reading> readings, String quantity) {
        return readings.stream().filter(r -> r.quantity().equals(quantity)).findFirst().orElseThrow();
    }

    @Test
    void missingThermalNodeFailsOnlyTheTemperatureAndRecovers() {
        BoardHealthSensor sensor = sensor(BoardHealthSensor.ThrottledSource.AUTO, 0);
        tree.remove("sys/class/thermal/thermal_zone0/temp");

        List<Reading> broken = sensor.sample();

        Reading temp = reading(broken, "cpu_temperature");
        assertThat(temp.quality()).isInstanceOf(Quality.Failed.class);
        assertThat(temp.quality().reason()).startsWith("missing ").endsWith("thermal_zone0/temp");
        assertThat(temp.value()).isNaN();
        assertThat(broken).filteredOn(r -> !r.quantity().equals("cpu_temperature"))
                .extracting(Reading::quality).containsOnly(Quality.OK);

        tree.temperature("51000\n");
        assertThat(reading(sensor.sample(), "cpu_temperature")).satisfies(r -> {
            assertThat(r.quality()).isEqualTo(Quality.OK);
            assertThat(r.value()).isEqualTo(51.0);
        });
    }

    @Test
    void unparsableTemperatureIsFailedWithTheValueInTheReason() {
        tree.temperature("garbage\n");

        Reading temp = reading(sensor(BoardHealthSensor.ThrottledSource.AUTO, 0).sample(), "cpu_temperature");

        assertThat(temp.quality().code()).isEqualTo("failed");
        assertThat(temp.quality().reason()).startsWith("unparsable value 'garbage' in ");
    }

    @Test
    void outOfRangeTemperatureIsSuspectButKeepsItsValue() {
        tree.temperature("200000\n");

        Reading temp = reading(sensor(BoardHealthSensor.ThrottledSource.AUTO, 0).sample(), "cpu_temperature");

        assertThat(temp.quality().code()).isEqualTo("suspect");
        assertThat(temp.quality().reason()).isEqualTo("out of range: 200.0 Cel outside [-40, 125]");
        assertThat(temp.value()).isEqualTo(200.0);
    }

    @Test
    void stuckTemperatureBecomesSuspectAndRecoversWhenItMovesAgain() {
        BoardHealthSensor sensor = sensor(BoardHealthSensor.ThrottledSource.AUTO, 3);

        assertThat(reading(sensor.sample(), "cpu_temperature").quality()).isEqualTo(Quality.OK);
        assertThat(reading(sensor.sample(), "cpu_temperature").quality()).isEqualTo(Quality.OK);
        Reading third = reading(sensor.sample(), "cpu_temperature");
        assertThat(third.quality().code()).isEqualTo("suspect");
        assertThat(third.quality().reason()).contains("unchanged for 3 samples");

        tree.temperature("48313\n");
        assertThat(reading(sensor.sample(), "cpu_temperature").quality()).isEqualTo(Quality.OK);
    }

    @Test
    void readsThrottlingFromVcgencmdWhenTheSysfsNodeIsAbsent() {
        tree.remove("sys/devices/platform/soc/soc:firmware/get_throttled");
        vcgencmdOutput = "throttled=0x80008\n";

        List<Reading> readings = sensor(BoardHealthSensor.ThrottledSource.AUTO, 0).sample();

        assertThat(reading(readings, "throttled").value()).isEqualTo(0x80008);
        assertThat(reading(readings, "soft_temp_limit").value()).isEqualTo(1.0);
        assertThat(reading(readings, "soft_temp_limit_occurred").value()).isEqualTo(1.0);
        assertThat(reading(readings, "under_voltage").value()).isZero();
    }

    @Test
    void unparsableThrottlingFailsAllNineFlagsReadingsWithTheReason() {
        tree.throttled("not-hex\n");

        List<Reading> readings = sensor(BoardHealthSensor.ThrottledSource.SYSFS, 0).sample();

        List<Reading> flags = readings.subList(1, 10);
        assertThat(flags).extracting(r -> r.quality().code()).containsOnly("failed");
        assertThat(flags.get(0).quality().reason()).startsWith("unparsable value 'not-hex' in ").endsWith("get_throttled");
        assertThat(reading(readings, "load_1m").quality()).isEqualTo(Quality.OK);
    }

    @Test
    void brokenLoadMeminfoUptimeAndDiskFailTheirOwnReadingsOnly() {
        tree.node("proc/loadavg", "0.1\n").node("proc/meminfo", "MemTotal: 100 kB\n").node("proc/uptime", "x y\n");
        diskFails = true;

        List<Reading> readings = sensor(BoardHealthSensor.ThrottledSource.SYSFS, 0).sample();

        assertThat(reading(readings, "load_5m").quality().reason()).startsWith("unparsable value '0.1'");
        assertThat(reading(readings, "memory_available").quality().reason()).startsWith("no MemAvailable line in ");
        assertThat(reading(readings, "uptime").quality().reason()).startsWith("unparsable value 'x' in ");
        assertThat(reading(readings, "disk_used").quality().reason()).contains("No such file or directory");
        assertThat(reading(readings, "cpu_temperature").quality()).isEqualTo(Quality.OK);
        assertThat(readings).hasSize(20);
    }

    @Test
    void implausibleMeminfoIsSuspect() {
        tree.node("proc/meminfo", "MemTotal: 100 kB\nMemAvailable: 200 kB\n");

        Reading available = reading(sensor(BoardHealthSensor.ThrottledSource.NONE, 0).sample(), "memory_available");

        assertThat(available.quality().code()).isEqualTo("suspect");
        assertThat(available.value()).isEqualTo(204_800.0);
    }

    @Test
    void throttledWordParsesEveryFirmwareSpelling() {
        assertThat(ThrottledFlags.parse("throttled=0x50005\n").raw()).isEqualTo(0x50005);
        assertThat(ThrottledFlags.parse("0x50005").raw()).isEqualTo(0x50005);
        assertThat(ThrottledFlags.parse("50005").raw()).isEqualTo(0x50005);
        ThrottledFlags f = new ThrottledFlags(0xF000F);
        assertThat(List.of(f.underVoltageNow(), f.frequencyCappedNow(), f.throttledNow(), f.softTempLimitNow(),
                f.underVoltageOccurred(), f.frequencyCappedOccurred(), f.throttlingOccurred(), f.softTempLimitOccurred()))
                .containsOnly(true);
        assertThat(new ThrottledFlags(0x100).underVoltageNow()).isFalse();
    }
}
