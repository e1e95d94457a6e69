package dev.fleetlet.drivers.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.fleetlet.drivers.spi.DriverRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BoardConfigParserTest {

    private final BoardConfigParser parser = new BoardConfigParser(DriverRegistry.standard());

    private ConfigException rejected(String yaml) {
        return catchThrowableOfType(() -> parser.parse(yaml), ConfigException.class);
    }

    @Test
    void parsesSharedKeysIntoImmutableRecords() {
        BoardConfig config = parser.parse("""
                board: {type: pi, root: /tmp/fake, dataDir: /data, seed: 7}
                sensors:
                  - type: digital-input
                    name: door
                    pin: 17
                    interval: 250ms
                    offsets: {state: 0}
                    labels: {room: hall}
                    options: {pull: up, debounce: 20ms, activeLow: true, quantity: open}
                  - type: board-health
                    name: health
                    interval: 1m
                actuators:
                  - {type: digital-output, name: pump, pin: 27, activeLow: true, safeState: off}
                  - {type: pwm, name: fan, pin: 18, safeState: 0.3, options: {frequency: 25000}}
                """);

        assertThat(config.type()).isEqualTo(BoardType.PI);
        assertThat(config.root()).isEqualTo(Path.of("/tmp/fake"));
        assertThat(config.dataDir()).isEqualTo(Path.of("/data"));
        assertThat(config.seed()).isEqualTo(7);
        SensorSpec door = config.sensors().get(0);
        assertThat(door.pin()).isEqualTo(17);
        assertThat(door.interval()).isEqualTo(Duration.ofMillis(250));
        assertThat(door.labels()).containsExactly(Map.entry("room", "hall"));
        assertThat(door.options()).containsEntry("debounce", "20ms").containsEntry("activeLow", "true");
        assertThat(config.sensors().get(1).interval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.actuators().get(0).activeLow()).isTrue();
        assertThat(config.actuators().get(1).safeLevel()).isEqualTo(0.3);
        assertThat(config.actuators().get(1).options()).containsEntry("frequency", "25000");
    }

    @Test
    void acceptsAddressesAsYamlHexNumbersAndAsHexStrings() {
        BoardConfig config = parser.parse("""
                board: {type: simulated}
                sensors:
                  - {type: board-health, name: a}
                """);
        assertThat(config.sensors().get(0).address()).isNull();

        SensorSpec numeric = parser.parse("""
                board: {type: simulated}
                sensors: [{type: digital-input, name: b, pin: 5, address: 0x48}]
                """).sensors().get(0);
        SensorSpec text = parser.parse("""
                board: {type: simulated}
                sensors: [{type: digital-input, name: b, pin: 5, address: "0x48"}]
                """).sensors().get(0);
        assertThat(numeric.address()).isEqualTo(0x48);
        assertThat(text.address()).isEqualTo(0x48);
    }

    @Test
    void namesTheKeyPathOfEveryProblemAtOnce() {
        ConfigException e = rejected("""
                board: {type: pi}
                sensors:
                  - {type: digital-input, name: door, pin: 17}
                  - {type: thermometer, name: door}
                  - {type: digital-input, name: pir, pin: 40, address: 0x10a, interval: 5 parsecs}
                """);

        assertThat(e.problems()).containsExactlyInAnyOrder(
                "sensors[1].type: unknown sensor type 'thermometer', expected one of "
                        + DriverRegistry.standard().sensorTypes(),
                "sensors[1].name: duplicate name 'door', already used by sensors[0]",
                "sensors[2].pin: expected within 0..27, got 40",
                "sensors[2].address: expected within 0x03..0x77, got 0x10a",
                "sensors[2].interval: expected a duration like 500ms, 10s, 1m, got '5 parsecs'",
                "sensors[2].pin: required for digital-input: the BCM GPIO number (0-27)");
        assertThat(e.getMessage()).contains("6 problems");
    }

    @Test
    void rejectsUnknownKeysSoTyposAreNotIgnored() {
        ConfigException e = rejected("""
                board: {type: simulated, sede: 3}
                sensors:
                  - {type: digital-input, name: door, pin: 17, intervall: 1s, options: {debounse: 5ms}}
                """);

        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("board.sede: unknown key"))
                .anySatisfy(p -> assertThat(p).startsWith("sensors[0].intervall: unknown key"))
                .anySatisfy(p -> assertThat(p).startsWith("sensors[0].options.debounse: unknown option"));
    }

    @Test
    void requiresBoardTypeAndRejectsOtherBoards() {
        assertThat(rejected("sensors: []").problems()).containsExactly(
                "board: required: a mapping with at least 'type: pi' or 'type: simulated'");
        assertThat(rejected("board: {type: beaglebone}").problems()).containsExactly(
                "board.type: expected pi or simulated, got 'beaglebone'");
    }

    @Test
    void checksActuatorKeysPerType() {
        ConfigException e = rejected("""
                board: {type: simulated}
                actuators:
                  - {type: digital-output, name: relay, pin: 27, safeState: 0.5}
                  - {type: pwm, name: fan, pin: 4, safeState: maybe, activeLow: yes-please}
                  - {type: pwm, name: dimmer, pin: 18, options: {frequency: 0, onLevel: 2}}
                  - {type: digital-output, name: led}
                """);

        assertThat(e.problems()).containsExactlyInAnyOrder(
                "actuators[0].safeState: expected off or on for a digital output, got 0.5",
                "actuators[1].activeLow: expected true or false, got 'yes-please'",
                "actuators[1].safeState: expected off, on or a level within [0, 1], got 'maybe'",
                "actuators[1].pin: expected a hardware PWM pin (12, 13, 18 or 19) or an explicit options.channel, got 4",
                "actuators[2].options.frequency: expected an integer within [1, 1000000], got 0",
                "actuators[2].options.onLevel: expected a number within [0, 1], got 2",
                "actuators[3].pin: required: the BCM GPIO number (0-27)");
    }

    @Test
    void reportsYamlSyntaxErrorsWithTheLine() {
        ConfigException e = rejected("board: {type: pi\nsensors: [");

        assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p).startsWith("(file): not valid YAML").contains("line"));
    }

    @Test
    void rejectsOptionValuesOfTheWrongKind() {
        ConfigException e = rejected("""
                board: {type: simulated}
                sensors:
                  - {type: digital-input, name: door, pin: 17, options: {pull: sideways, debounce: 2s, activeLow: 3}}
                  - {type: board-health, name: health, pin: 3, options: {throttled: maybe, stuckSamples: 1}}
                """);

        assertThat(e.problems()).containsExactlyInAnyOrder(
                "sensors[0].options.debounce: expected at most 1s, got 2s",
                "sensors[0].options.pull: expected one of [up, down, off], got 'sideways'",
                "sensors[0].options.activeLow: expected true or false, got '3'",
                "sensors[1].options.throttled: expected one of [auto, sysfs, vcgencmd, none], got 'maybe'",
                "sensors[1].options.stuckSamples: expected 0 (off) or at least 2, got 1",
                "sensors[1]: board-health reads /proc and /sys; pin, bus and address do not apply");
    }
}
