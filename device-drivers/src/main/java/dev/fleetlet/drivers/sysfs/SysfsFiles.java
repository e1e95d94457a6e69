package dev.fleetlet.drivers.sysfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The port through which the sysfs drivers (1-Wire DS18B20, IIO DHT22) read kernel files. Drivers resolve
 * every path against the root they were given ({@code /} on a board, a temporary tree in tests), so
 * {@link #SYSTEM} simply reads the paths it is handed; the in-memory fakes
 * ({@code ds18b20.FakeW1Bus}, {@code dht22.FakeIioDht}) serve simulated nodes under such a root.
 *
 * <p>On a real kernel reading a value file runs a measurement and may fail with {@link IOException}
 * carrying the kernel's message: "Input/output error" (EIO), "Connection timed out" (ETIMEDOUT),
 * "No such device" (the sensor left the bus).
 */
public interface SysfsFiles {

    /** Names of the entries in {@code dir}; empty when it does not exist. */
    List<String> list(Path dir) throws IOException;

    /** Whether {@code file} exists as a regular file. */
    boolean isFile(Path file);

    /** The whole content of {@code file} as ASCII; {@link java.nio.file.NoSuchFileException} when missing. */
    String read(Path file) throws IOException;

    /** The real filesystem. */
    SysfsFiles SYSTEM = new SysfsFiles() {
        @Override
        public List<String> list(Path dir) throws IOException {
            if (!Files.isDirectory(dir)) {
                return List.of();
            }
            List<String> names = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                entries.forEach(p -> names.add(p.getFileName().toString()));
            }
            return names;
        }

        @Override
        public boolean isFile(Path file) {
            return Files.isRegularFile(file);
        }

        @Override
        public String read(Path file) throws IOException {
            return new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
        }
    };
}
