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

    @Test
    void failsWhenDebugfsCannotSetTheFileTimesEvenWithManyErrors() throws Exception {
        // given a debugfs that, like one that cannot parse the times, reports an error for each of its commands
        // (far more than a pipe holds) and exits 0, as debugfs -f does
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path fake = bin.resolve("debugfs");
        Files.writeString(fake, "#!/bin/sh\necho 'debugfs 1.47.0 (5-Feb-2023)' >&2\n"
                + "i=0; while [ $i -lt 20000 ]; do echo \"sif: Couldn't parse '@1767225600' for atime of file $i\" >&2;"
                + " i=$((i+1)); done\nexit 0\n");
        fake.toFile().setExecutable(true);
        Path tree = FixtureImage.tree(dir.resolve("t"));
        Path boot = Files.createDirectories(dir.resolve("boot"));
        Files.writeString(boot.resolve("config.txt"), "arm_64bit=1\n");
        Files.writeString(boot.resolve("cmdline.txt"), "root=PARTUUID=f1ee7e70-02\n");

        // when
        ProcessBuilder pb = new ProcessBuilder("bash", FixtureImage.SCRIPTS.resolve("assemble-image.sh").toString(),
                boot.toString(), tree.toString(), dir.resolve("t.img").toString()).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin");
        pb.environment().put("BOOT_MIB", "40");
        pb.environment().put("ROOT_FREE_MIB", "4");
        pb.environment().put("SOURCE_DATE_EPOCH", "1767225600");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor();

        // then
        assertThat(p.exitValue()).as(out).isEqualTo(1);
        assertThat(out).contains("assemble: debugfs could not set the file times", "Couldn't parse '@1767225600'");
        assertThat(dir.resolve("t.img")).doesNotExist();
    }
}
