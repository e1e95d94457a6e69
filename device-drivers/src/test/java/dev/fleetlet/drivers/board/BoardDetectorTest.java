package dev.fleetlet.drivers.board;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoardDetectorTest {

    @TempDir
    Path root;

    private void file(String relative, String content) throws IOException {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    @Test
    void readsTheNulTerminatedDeviceTreeModel() throws IOException {
        file("proc/device-tree/model", "Raspberry Pi 4 Model B Rev 1.4\0");

        DetectedBoard board = new BoardDetector(root).detect();

        assertThat(board.model()).isEqualTo("Raspberry Pi 4 Model B Rev 1.4");
        assertThat(board.generation()).isEqualTo(4);
        assertThat(board.supported()).isTrue();
        assertThat(board.usesRp1()).isFalse();
    }

    @Test
    void fallsBackToTheCpuinfoModelLine() throws IOException {
        file("proc/cpuinfo", "processor\t: 0\nRevision\t: d04170\nModel\t\t: Raspberry Pi 5 Model B Rev 1.0\n");

        DetectedBoard board = new BoardDetector(root).detect();

        assertThat(board.generation()).isEqualTo(5);
        assertThat(board.usesRp1()).isTrue();
        assertThat(board.source()).endsWith("proc/cpuinfo");
    }

    @Test
    void mapsVariantsToTheirGeneration() {
        assertThat(BoardDetector.generation("Raspberry Pi Compute Module 4 Rev 1.0")).isEqualTo(4);
        assertThat(BoardDetector.generation("Raspberry Pi 400 Rev 1.0")).isEqualTo(4);
        assertThat(BoardDetector.generation("Raspberry Pi Zero 2 W Rev 1.0")).isEqualTo(3);
        assertThat(BoardDetector.generation("Raspberry Pi 3 Model B Plus Rev 1.3")).isEqualTo(3);
        assertThat(BoardDetector.generation("Raspberry Pi Model B Rev 2")).isZero();
        assertThat(BoardDetector.generation("Hardkernel ODROID-C4")).isZero();
    }

    @Test
    void reportsUnknownOnAnX86Tree() throws IOException {
        file("proc/cpuinfo", "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R)\n");

        assertThat(new BoardDetector(root).detect()).isEqualTo(DetectedBoard.UNKNOWN);
    }
}
