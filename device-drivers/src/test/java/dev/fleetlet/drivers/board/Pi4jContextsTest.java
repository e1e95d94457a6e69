package dev.fleetlet.drivers.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.pi4j.context.Context;
import dev.fleetlet.drivers.config.BoardType;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Pi4jContextsTest {

    @TempDir
    Path root;

    private void model(String model) throws IOException {
        Files.createDirectories(root.resolve("proc/device-tree"));
        Files.writeString(root.resolve("proc/device-tree/model"), model + "\0");
    }

    @Test
    void simulatedBoardGetsOnlyMockProviders() {
        Context context = Pi4jContexts.open(BoardType.SIMULATED, root);
        try {
            assertThat(context.providers().all().keySet())
                    .containsExactlyInAnyOrder("mock-digital-input", "mock-digital-output", "mock-pwm", "mock-i2c");
        } finally {
            context.shutdown();
        }
    }

    @Test
    void refusesAPiBoardOnAMachineThatIsNotAPi() throws IOException {
        Files.createDirectories(root.resolve("proc"));
        Files.writeString(root.resolve("proc/cpuinfo"), "vendor_id\t: GenuineIntel\n");

        assertThatThrownBy(() -> Pi4jContexts.open(BoardType.PI, root))
                .isInstanceOf(BoardStartException.class)
                .hasMessageContaining("board.type is pi but this machine is not a Raspberry Pi")
                .hasMessageContaining("set board.type: simulated");
    }

    @Test
    void refusesAnUnsupportedPiGeneration() throws IOException {
        model("Raspberry Pi Model B Plus Rev 1.2");

        assertThatThrownBy(() -> Pi4jContexts.open(BoardType.PI, root))
                .isInstanceOf(BoardStartException.class)
                .hasMessageContaining("is not a supported board; supported: Raspberry Pi 3, 4, 5");
    }

    @Test
    void refusesARealPiWhoseContextTurnedOutToHoldMocks() throws IOException {
        model("Raspberry Pi 4 Model B Rev 1.4");
        DetectedBoard pi4 = new BoardDetector(root).detect();
        Context mocks = Pi4jContexts.simulated();

        assertThatThrownBy(() -> Pi4jContexts.checked(BoardType.PI, pi4, mocks))
                .isInstanceOf(BoardStartException.class)
                .hasMessageContaining("board.type is pi on 'Raspberry Pi 4 Model B Rev 1.4' but Pi4J selected mock providers")
                .hasMessageContaining("mock-digital-input")
                .hasMessageContaining("refusing to start");
        assertThat(mocks.isShutdown()).isTrue();
    }

    @Test
    void guardAcceptsRealProvidersOnASupportedPiAndRejectsAnyMockAmongThem() {
        DetectedBoard pi5 = new DetectedBoard("Raspberry Pi 5 Model B Rev 1.0", "test", 5);

        assertThat(ProviderGuard.refusal(BoardType.PI, pi5,
                Set.of("gpiod-digital-input", "gpiod-digital-output", "linuxfs-i2c", "linuxfs-pwm"))).isEmpty();
        assertThat(ProviderGuard.refusal(BoardType.PI, pi5,
                Set.of("gpiod-digital-input", "gpiod-digital-output", "mock-i2c", "linuxfs-pwm")))
                .hasValueSatisfying(r -> assertThat(r).contains("[mock-i2c]"));
        assertThat(ProviderGuard.refusal(BoardType.SIMULATED, pi5, Set.of("mock-i2c", "linuxfs-pwm")))
                .hasValueSatisfying(r -> assertThat(r).contains("simulated board must only use mock providers"));
    }

    /**
     * Loads this module's classes in a class loader that cannot see the gpiod and linuxfs jars: if the
     * simulated path touched their classes, opening the context would fail with NoClassDefFoundError.
     */
    @Test
    void simulatedBoardNeverLoadsTheGpiodOrLinuxfsPlugins() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.contains("pi4j-plugin-gpiod") && !entry.contains("pi4j-plugin-linuxfs")
                    && !entry.contains("pi4j-library-gpiod") && !entry.contains("pi4j-library-linuxfs")) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        try (URLClassLoader isolated = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Class<?> contexts = isolated.loadClass(Pi4jContexts.class.getName());
            Class<?> boardType = isolated.loadClass(BoardType.class.getName());
            Object simulated = boardType.getField("SIMULATED").get(null);

            Object context = contexts.getMethod("open", boardType, Path.class).invoke(null, simulated, root);
            context.getClass().getMethod("shutdown").invoke(context);

            assertThatThrownBy(() -> isolated.loadClass("com.pi4j.plugin.gpiod.GpioDPlugin"))
                    .isInstanceOf(ClassNotFoundException.class);
        }
    }
}
