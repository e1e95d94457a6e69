package dev.fleetlet.drivers.ds18b20;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetlet.drivers.Quality;
import dev.fleetlet.drivers.Reading;
import dev.fleetlet.drivers.sysfs.SysfsFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Ds18b20FaultsTest {

    private static final String ID = "28-0316a2791cff";
    private final Path root = Path.of("/fake-root");
    private final AtomicReference<Double> celsius = new AtomicReference<>(19.5);
    private final FakeW1Bus bus = new FakeW1Bus(root).addSensor(ID, celsius::get);
    private final Clock clock = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

    private Ds18b20Sensor sensor(Ds18b20Config config) {
        return new Ds18b20Sensor(config, bus, root, clock);
    }

    private Reading sampleOnce() {
        return sensor(Ds18b20Config.of("tank", ID)).sample().get(0);
    }

    @Test
    void crcNoIsFailedThenRecovers() {
        Ds18b20Sensor sensor = sensor(Ds18b20Config.of("tank", ID));
        bus.setFault(ID, FakeW1Bus.Fault.CRC_ERROR);

        Reading failed = sensor.sample().get(0);
        bus.setFault(ID, FakeW1Bus.Fault.NONE);
        Reading recovered = sensor.sample().get(0);

        assertThat(failed.quality()).isInstanceOf(Quality.Failed.class);
        assertThat(failed.quality().reason()).matches("CRC check failed \\(crc=[0-9a-f]{2} NO\\)");
        assertThat(Double.isNaN(failed.value())).isTrue();
        assertThat(recovered.quality()).isEqualTo(Quality.OK);
        assertThat(recovered.value()).isEqualTo(19.5);
    }

    @Test
    void rejectsPowerOnValueOf85Degrees() {
        bus.setFault(ID, FakeW1Bus.Fault.POWER_ON);

        Reading reading = sampleOnce();

        assertThat(reading.value()).isEqualTo(85.0);
        assertThat(reading.quality()).isEqualTo(Quality.suspect("power-on value 85.0 °C"));
    }

    @Test
    void minus127IsADisconnectedSensor() {
        bus.setContent(ID, "00 f8 4b 46 7f ff 0c 10 00 : crc=00 YES\n00 f8 4b 46 7f ff 0c 10 00 t=-127000\n");

        assertThat(sampleOnce().quality()).isEqualTo(Quality.failed("sensor disconnected (-127 °C)"));
    }

    @Test
    void allZeroScratchpadIsASilentSensor() {
        bus.setFault(ID, FakeW1Bus.Fault.ALL_ZERO);

        assertThat(sampleOnce().quality()).isEqualTo(Quality.failed("sensor not answering (scratchpad all 0x00)"));
    }

    @Test
    void missingNodeIsFailedAndNamesThePath() {
        bus.remove(ID);

        Reading reading = sampleOnce();

        assertThat(reading.quality()).isEqualTo(Quality.failed("missing node " + root.resolve("sys/bus/w1/devices/" + ID + "/w1_slave")));
    }

    @Test
    void readErrorIsFailedWithTheKernelsMessage() {
        bus.setFault(ID, FakeW1Bus.Fault.READ_ERROR);

        assertThat(sampleOnce().quality()).isEqualTo(Quality.failed("read error: No such device"));
    }

    @Test
    void usesTheTemperatureFileWhenW1SlaveIsAbsent() {
        bus.setTemperatureFileOnly(ID, true);
        celsius.set(-10.125);

        Reading reading = sampleOnce();

        assertThat(reading.quality()).isEqualTo(Quality.OK);
        assertThat(reading.value()).isEqualTo(-10.125);
    }

    @Test
    void valueOutsideTheChipsRangeIsSuspect() {
        bus.setContent(ID, "d0 07 4b 46 7f ff 0c 10 00 : crc=00 YES\nd0 07 4b 46 7f ff 0c 10 00 t=130000\n");

        Reading reading = sampleOnce();

        assertThat(reading.quality()).isEqualTo(Quality.suspect("temperature 130.000 Cel outside plausible range -55..125"));
    }

    @Test
    void garbageContentIsFailedNotThrown() {
        bus.setContent(ID, "hello\n");

        assertThat(sampleOnce().quality()).isEqualTo(Quality.failed("unreadable w1_slave: expected 2 lines in w1_slave, got 1"));
    }

    @Test
    void withoutAnIdSeveralSensorsAreAConfigurationProblem() {
        bus.addSensor("28-000000000002", () -> 1.0);

        Reading reading = sensor(Ds18b20Config.of("tank", null)).sample().get(0);

        assertThat(reading.quality()).isEqualTo(Quality.failed("several DS18B20 found [28-000000000002, 28-0316a2791cff], configure a device id"));
    }

    @Test
    void withoutAnIdAnEmptyBusIsFailed() {
        bus.remove(ID);

        Reading reading = sensor(Ds18b20Config.of("tank", null)).sample().get(0);

        assertThat(reading.quality().reason()).startsWith("no DS18B20 (28-*) under ");
    }

    @Test
    void stuckValueIsSuspectWhenEnabled() {
        Ds18b20Sensor sensor = sensor(new Ds18b20Config("tank", ID, 3));

        sensor.sample();
        sensor.sample();
        Reading third = sensor.sample().get(0);
        celsius.set(19.5625);
        Reading changed = sensor.sample().get(0);

        assertThat(third.quality()).isEqualTo(Quality.suspect("raw value unchanged for 3 samples (stuck?)"));
        assertThat(changed.quality()).isEqualTo(Quality.OK);
    }

    @Test
    void directoriesInPlaceOfTheFilesOnARealTreeAreAMissingNode(@TempDir Path tree) throws IOException {
        Path node = Files.createDirectories(tree.resolve("sys/bus/w1/devices/" + ID));
        Files.createDirectories(node.resolve("temperature"));
        Ds18b20Sensor sensor = new Ds18b20Sensor(Ds18b20Config.of("tank", ID), SysfsFiles.SYSTEM, tree, clock);

        Reading reading = sensor.sample().get(0);

        assertThat(reading.quality().reason()).isEqualTo("missing node " + node.resolve("w1_slave"));
    }

    @Test
    void configRejectsAnIdOfAnotherFamily() {
        assertThatThrownBy(() -> Ds18b20Config.of("tank", "10-000802b4a6e2"))
                .hasMessageStartingWith("deviceId must look like 28-0316a2791cff");
    }
}
