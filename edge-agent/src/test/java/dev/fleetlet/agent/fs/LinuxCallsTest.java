package dev.fleetlet.agent.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinuxCallsTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void nativeCallsLoad() {
        assertThat(LinuxCalls.available()).as("JNA loads on the build machine").isTrue();
    }

    @Test
    void mkfifoCreatesANamedPipeWithTheRequestedMode() throws Exception {
        // given
        Path fifo = tmp.resolve("out.fifo");

        // when
        LinuxCalls.mkfifo(fifo, 0600);

        // then
        PosixFileAttributes a = Files.readAttributes(fifo, PosixFileAttributes.class);
        assertThat(a.isOther()).as("neither file, directory nor link: a FIFO").isTrue();
        assertThat(PosixFilePermissions.toString(a.permissions())).isEqualTo("rw-------");
    }

    @Test
    void mkfifoOnAnExistingPathNamesThePathAndTheError() throws Exception {
        // given
        Path taken = Files.writeString(tmp.resolve("taken"), "x");

        // when / then
        assertThatThrownBy(() -> LinuxCalls.mkfifo(taken, 0600)).isInstanceOf(IOException.class)
                .hasMessageContaining("mkfifo " + taken).hasMessageContaining("errno 17").hasMessageContaining("exists");
    }

    @Test
    void failedMountNamesTheCallAndTheError() {
        // given: a mount point that does not exist (ENOENT as root, EPERM otherwise)
        Path missing = tmp.resolve("missing");

        // when / then
        assertThatThrownBy(() -> LinuxCalls.mount("overlay", missing, "overlay", "lowerdir=" + tmp))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("mount -t overlay overlay " + missing + " -o lowerdir=" + tmp)
                .hasMessageMatching("(?s).*failed: errno (1|2) \\(.+\\)");
    }

    @Test
    void unmountingWhatIsNotAMountPointNamesThePath() {
        // when / then: EINVAL as root, EPERM otherwise
        assertThatThrownBy(() -> LinuxCalls.umount(tmp)).isInstanceOf(IOException.class)
                .hasMessageContaining("umount " + tmp).hasMessageMatching("(?s).*errno (1|22) .*");
    }
}
