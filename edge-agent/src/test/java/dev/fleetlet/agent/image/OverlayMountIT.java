package dev.fleetlet.agent.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The in-process overlay mount ({@code mount(2)}) and the {@code mount(8)} fallback make the same mount, and
 * either unmount undoes either mount (we are root, overlayfs with {@code userxattr} is available).
 */
class OverlayMountIT {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "mount in-process={0}, unmount in-process={1}")
    @CsvSource({"true,true", "false,false", "true,false", "false,true"})
    void mountsLowerLayersTopFirstWithWritesGoingToTheUpperDirectory(boolean mountInProcess, boolean unmountInProcess)
            throws Exception {
        // given
        Path bottom = Files.createDirectories(tmp.resolve("bottom"));
        Path top = Files.createDirectories(tmp.resolve("top"));
        Files.writeString(bottom.resolve("f"), "bottom");
        Files.writeString(bottom.resolve("only-bottom"), "b");
        Files.writeString(top.resolve("f"), "top");
        Path upper = Files.createDirectories(tmp.resolve("upper"));
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path merged = Files.createDirectories(tmp.resolve("merged"));

        // when
        OverlayMount.mount(List.of(top, bottom), upper, work, merged, mountInProcess);
        try {
            // then
            assertThat(merged.resolve("f")).hasContent("top");
            assertThat(merged.resolve("only-bottom")).hasContent("b");
            Files.writeString(merged.resolve("new"), "written");
            assertThat(upper.resolve("new")).hasContent("written");
            assertThat(mounted(merged)).isTrue();
        } finally {
            OverlayMount.unmount(merged, unmountInProcess);
        }
        assertThat(mounted(merged)).isFalse();
        assertThat(merged).isEmptyDirectory();
        assertThat(bottom.resolve("new")).doesNotExist();
    }

    private static boolean mounted(Path path) throws Exception {
        String target = " " + path.toAbsolutePath() + " ";
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().anyMatch(l -> l.contains(target));
    }
}
