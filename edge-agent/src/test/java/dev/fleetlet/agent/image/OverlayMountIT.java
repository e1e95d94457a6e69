package dev.fleetlet.agent.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

    @ParameterizedTest(name = "mount in-process={0}")
    @CsvSource({"true", "false"})
    void refusesOptionsTheKernelWouldCutShortInsteadOfMountingWithoutTheUpperDirectory(boolean inProcess)
            throws Exception {
        // given: lower directories whose list ends exactly where the kernel cuts the option string (one page less
        // its terminating byte), so that what it would read is a valid read-only overlay without upper and work
        int limit = 4095;
        String prefix = "userxattr,lowerdir=";
        List<Path> lowers = new ArrayList<>();
        int cost = tmp.toString().length() + 2; // ':' + temp dir + '/' before each name (the first has no ':')
        int left = limit - prefix.length() + 1;
        while (left > cost + 255) {
            int name = Math.min(200, left - cost - (cost + 100));
            lowers.add(Files.createDirectories(tmp.resolve(String.format("%03d", lowers.size()) + "l".repeat(name - 3))));
            left -= cost + name;
        }
        lowers.add(Files.createDirectories(tmp.resolve("z".repeat(left - cost))));
        assertThat(prefix.length() + String.join(":", lowers.stream().map(Path::toString).toList()).length())
                .isEqualTo(limit);
        Path upper = Files.createDirectories(tmp.resolve("upper"));
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path merged = Files.createDirectories(tmp.resolve("merged"));

        // when / then
        try {
            assertThatThrownBy(() -> OverlayMount.mount(lowers, upper, work, merged, inProcess))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("more than the 4095")
                    .hasMessageContaining(lowers.size() + " lower directories");
            assertThat(mounted(merged)).isFalse();
        } finally {
            if (mounted(merged)) {
                OverlayMount.unmount(merged, inProcess);
            }
        }
    }

    private static boolean mounted(Path path) throws Exception {
        String target = " " + path.toAbsolutePath() + " ";
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().anyMatch(l -> l.contains(target));
    }
}
