package dev.fleetlet.hil.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

import dev.fleetlet.drivers.board.BoardStartException;
import dev.fleetlet.drivers.config.ActuatorSpec;
import dev.fleetlet.drivers.config.BoardConfig;
import dev.fleetlet.drivers.config.BoardType;
import dev.fleetlet.drivers.config.ConfigException;
import dev.fleetlet.drivers.config.SensorSpec;
import dev.fleetlet.drivers.health.BoardHealthSensor;
import dev.fleetlet.drivers.i2c.Expectation;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs in the default build on any machine: proves the {@code *HilTest} wiring compiles and is
 * reachable without a Pi. The example board file goes through the same loader the HilTests use, and
 * every HilTest's setup fails (rather than skips) when the hardware properties are missing.
 */
class HilBoardWiringTest {

    private static final List<Class<?>> HIL_TESTS = List.of(Bme280HilTest.class, Ads1115HilTest.class,
            Sht3xHilTest.class, Ds18b20HilTest.class, Dht22HilTest.class, DigitalInputHilTest.class,
            DigitalOutputHilTest.class, PwmHilTest.class, BoardHealthHilTest.class);

    @TempDir
    Path dir;

    private static Path example() {
        try {
            return Path.of(Objects.requireNonNull(HilBoardWiringTest.class.getResource("/hil-board.example.yml"),
                    "hil-board.example.yml on the test class path").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void exampleBoardFileIsValidForDeviceDriversParser() {
        BoardConfig config = HilBoard.load(example());

        assertThat(config.type()).isEqualTo(BoardType.PI);
        assertThat(config.sensors()).extracting(SensorSpec::type).containsExactly("board-health", "bme280", "ads1115",
                "sht3x", "ds18b20", "dht22", "digital-input");
        assertThat(config.actuators()).extracting(ActuatorSpec::type).containsExactly("digital-output", "pwm");
        Map<String, Integer> addresses = Map.of("bme280", 0x76, "ads1115", 0x48, "sht3x", 0x44);
        addresses.forEach((type, address) -> assertThat(config.sensors().stream()
                .filter(s -> s.type().equals(type)).findFirst().orElseThrow().address()).as(type).isEqualTo(address));
    }

    @Test
    void exampleGivesEveryHilTestWhatItLooksUp() {
        HilBoard hil = HilBoard.require(Map.of(HilBoard.BOARD_PROPERTY, "pi",
                HilBoard.CONFIG_PROPERTY, example().toString())::get);

        for (String type : List.of("bme280", "ads1115", "sht3x", "ds18b20", "dht22", "board-health")) {
            assertThat(hil.sensorOfType(type).type()).isEqualTo(type);
        }
        assertThat(hil.loopbackInputPin()).isEqualTo(17);
        assertThat(hil.loopbackOutputPin()).isEqualTo(27);
        assertThat(PwmHilTest.channelOf(hil.actuatorNamed("fan"))).isZero();
        assertThat(hil.sensorOfType("ds18b20").options()).containsKey("device-id");
        assertThat(Ads1115HilTest.expectationsFor(hil.sensorOfType("ads1115")))
                .extracting(Expectation::quantity, Expectation::unit, Expectation::min, Expectation::max)
                .containsExactly(tuple("voltage", "V", -4.096, 4.096));
    }

    @Test
    void everyHilTestSetupFailsWithoutTheBoardProperty() throws Exception {
        String board = System.clearProperty(HilBoard.BOARD_PROPERTY);
        String file = System.clearProperty(HilBoard.CONFIG_PROPERTY);
        try {
            for (Class<?> hilTest : HIL_TESTS) {
                HilBoardExtension extension = registeredExtension(hilTest);
                Method setup = HilBoardExtension.class.getMethod("beforeAll", ExtensionContext.class);

                Throwable thrown = catchThrowable(() -> setup.invoke(extension, (Object) null));

                assertThat(thrown).as(hilTest.getSimpleName()).isInstanceOf(InvocationTargetException.class);
                assertThat(thrown.getCause()).as(hilTest.getSimpleName())
                        .isInstanceOf(AssertionError.class)
                        .hasMessageStartingWith(HilBoard.NOT_ON_HARDWARE + ": -Dfleetlet.hil.board=pi is not set (got nothing)")
                        .hasMessageContaining("-Phil-board")
                        .hasMessageContaining("fails rather than skips");
            }
        } finally {
            restore(HilBoard.BOARD_PROPERTY, board);
            restore(HilBoard.CONFIG_PROPERTY, file);
        }
    }

    @Test
    void failsNamingTheConfigPropertyWhenOnlyTheBoardIsGiven() {
        assertThatThrownBy(() -> HilBoard.require(Map.of(HilBoard.BOARD_PROPERTY, "pi")::get))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("-Dfleetlet.hil.board.config is not set");
        assertThatThrownBy(() -> HilBoard.require(Map.of(HilBoard.BOARD_PROPERTY, "simulated")::get))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("(got 'simulated')");
    }

    @Test
    void refusesASimulatedBoardFile() throws IOException {
        Path file = Files.writeString(dir.resolve("sim.yml"), "board: {type: simulated}\n");

        assertThatThrownBy(() -> HilBoard.require(Map.of(HilBoard.BOARD_PROPERTY, "pi",
                HilBoard.CONFIG_PROPERTY, file.toString())::get))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("board.type must be pi");
    }

    @Test
    void reportsABadBoardFileWithTheKeyPath() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.yml"),
                "board: {type: pi}\nsensors:\n  - {type: bme280, name: air, bus: 1, address: 0x10}\n");

        assertThatThrownBy(() -> HilBoard.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("sensors[0].address");
    }

    @Test
    void openingTheBoardOnThisNonPiTreeIsRefusedByDeviceDrivers() throws IOException {
        String text = Files.readString(example()).replace("root: /\n", "root: " + dir + "\n")
                .replace("dataDir: /var/lib/fleetlet", "dataDir: " + dir);
        Path file = Files.writeString(dir.resolve("board.yml"), text);
        HilBoard hil = HilBoard.require(Map.of(HilBoard.BOARD_PROPERTY, "pi",
                HilBoard.CONFIG_PROPERTY, file.toString())::get);
        assertThat(hil.config().root()).isEqualTo(dir);

        try {
            assertThatThrownBy(() -> hil.openSensor(hil.sensorOfType("board-health"), BoardHealthSensor.class))
                    .isInstanceOf(BoardStartException.class)
                    .hasMessageContaining("board.type is pi but this machine is not a Raspberry Pi");
        } finally {
            hil.close();
        }
    }

    private static HilBoardExtension registeredExtension(Class<?> hilTest) throws ReflectiveOperationException {
        Field field = Arrays.stream(hilTest.getDeclaredFields())
                .filter(f -> f.getType() == HilBoardExtension.class && f.isAnnotationPresent(RegisterExtension.class))
                .findFirst()
                .orElseThrow(() -> new NoSuchFieldException(hilTest.getSimpleName()
                        + " has no @RegisterExtension HilBoardExtension field"));
        assertThat(Modifier.isStatic(field.getModifiers())).as(field.toString()).isTrue();
        field.setAccessible(true);
        return (HilBoardExtension) field.get(null);
    }

    private static void restore(String key, String value) {
        if (value != null) {
            System.setProperty(key, value);
        }
    }
}
