package dev.fleetlet.drivers.ds18b20;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The port to the kernel's 1-Wire sysfs files ({@code w1_therm}). {@link #SYSTEM} reads the real
 * filesystem under whatever root the caller resolved; {@link FakeW1Bus} serves in-memory nodes for
 * tests and the simulated board.
 *
 * <p>Reading {@code w1_slave} on a real kernel performs a conversion (about 750 ms at 12 bits) and can
 * fail with {@link IOException} (e.g. "No such device" when the sensor drops off the bus).
 */
public interface W1Files {

    /** Names of the entries in {@code dir}; empty when it does not exist. */
    List<String> list(Path dir) throws IOException;

    /** Whether {@code file} exists as a regular file. */
    boolean isFile(Path file);

    /** The whole content of {@code file} as ASCII; {@link java.nio.file.NoSuchFileException} when missing. */
    String read(Path file) throws IOException;

    /** The real filesystem. */
    W1Files SYSTEM = new W1Files() {
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
