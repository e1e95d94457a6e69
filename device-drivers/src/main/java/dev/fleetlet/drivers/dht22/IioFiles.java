package dev.fleetlet.drivers.dht22;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The port to the kernel's IIO sysfs files. {@link #SYSTEM} reads the real filesystem; {@link FakeIioDht}
 * serves an in-memory DHT device for tests and the simulated board.
 *
 * <p>On a real kernel, reading {@code in_temp_input} of the dht11 driver runs a measurement and fails
 * regularly: Java sees {@link IOException} with the message "Input/output error" (EIO, checksum or
 * framing) or "Connection timed out" (ETIMEDOUT, too few edges seen).
 */
public interface IioFiles {

    /** Names of the entries in {@code dir}; empty when it does not exist. */
    List<String> list(Path dir) throws IOException;

    /** Whether {@code file} exists as a regular file. */
    boolean isFile(Path file);

    /** The whole content of {@code file}; {@link java.nio.file.NoSuchFileException} when missing. */
    String read(Path file) throws IOException;

    /** The real filesystem. */
    IioFiles SYSTEM = new IioFiles() {
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
