package dev.fleetlet.agent.clock;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClockStatusTest {

    @TempDir
    Path root;

    @Test
    void isUnsyncedUntilTimesyncdCreatesItsFlagFile() throws IOException {
        ClockStatus status = ClockStatus.systemd(root);
        assertThat(status.synced()).isFalse();

        Files.createDirectories(root.resolve("run/systemd/timesync"));
        Files.createFile(root.resolve("run/systemd/timesync/synchronized"));

        assertThat(status.synced()).isTrue();
    }
}
