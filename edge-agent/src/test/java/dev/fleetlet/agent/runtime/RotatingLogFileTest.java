package dev.fleetlet.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatingLogFileTest {
    @TempDir
    Path dir;

    @Test
    void rotatesAtTheSizeLimitAndKeepsOnlyTheNewestFiles() throws Exception {
        Path file = dir.resolve("stdout.log");
        try (RotatingLogFile log = new RotatingLogFile(file, 10, 2)) {
            for (int i = 0; i < 5; i++) {
                byte[] line = ("line-" + i + "...\n").getBytes(StandardCharsets.UTF_8); // 10 bytes each
                log.write(line, 0, line.length);
            }
        }

        assertThat(file).hasContent("line-4...");
        assertThat(dir.resolve("stdout.log.1")).hasContent("line-3...");
        assertThat(dir.resolve("stdout.log.2")).hasContent("line-2...");
        assertThat(dir.resolve("stdout.log.3")).doesNotExist();
    }

    @Test
    void splitsAWriteLargerThanTheLimit() throws Exception {
        Path file = dir.resolve("stderr.log");
        byte[] big = "abcdefghijklmnopqrstuvwxy".getBytes(StandardCharsets.UTF_8);
        try (RotatingLogFile log = new RotatingLogFile(file, 10, 3)) {
            log.write(big, 0, big.length);
        }

        assertThat(Files.readString(dir.resolve("stderr.log.2"))).isEqualTo("abcdefghij");
        assertThat(Files.readString(dir.resolve("stderr.log.1"))).isEqualTo("klmnopqrst");
        assertThat(file).hasContent("uvwxy");
    }

    @Test
    void continuesAnExistingFileAfterARestart() throws Exception {
        Path file = Files.writeString(dir.resolve("stdout.log"), "12345678");
        try (RotatingLogFile log = new RotatingLogFile(file, 10, 1)) {
            log.write("abcd".getBytes(StandardCharsets.UTF_8), 0, 4);
        }

        assertThat(dir.resolve("stdout.log.1")).hasContent("12345678ab");
        assertThat(file).hasContent("cd");
    }
}
