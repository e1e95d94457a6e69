package dev.fleetlet.images.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image build's stages 3 and 4 (scripts/image-from-tree.sh) give the same bytes for the same tree, whatever
 * the host's file times: access and change times are set and later modification times clamped to
 * SOURCE_DATE_EPOCH, so two builds from one cached rootfs tarball and one agent .deb make the same raw image.
 */
class ReproducibleAssemblyTest {
    @TempDir
    Path dir;

    @Test
    void sameTreeAssembledTwiceWithDifferentHostFileTimesGivesTheSameImage() throws Exception {
        // given two copies of the fixture tree; the second one read and written at other times than the first
        Path first = FixtureImage.tree(dir.resolve("a"));
        Path second = FixtureImage.tree(dir.resolve("b"));
        FileTime accessed = FileTime.from(Instant.parse("2031-05-04T03:02:01Z"));
        FileTime modified = FileTime.from(Instant.parse("2030-01-02T03:04:05Z"));
        try (Stream<Path> paths = Files.walk(second)) {
            for (Path p : paths.filter(Files::isRegularFile).toList()) {
                Files.getFileAttributeView(p, BasicFileAttributeView.class).setTimes(modified, accessed, null);
            }
        }

        // when
        Path imageA = dir.resolve("a.img");
        Path imageB = dir.resolve("b.img");
        FixtureImage.script("image-from-tree.sh", first.toString(), imageA.toString());
        FixtureImage.script("image-from-tree.sh", second.toString(), imageB.toString());

        // then
        assertThat(Files.size(imageA)).isGreaterThan(40L * 1024 * 1024);
        assertThat(Files.mismatch(imageA, imageB)).as("offset of the first differing byte").isEqualTo(-1L);
    }
}
