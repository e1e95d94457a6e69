package dev.fleetlet.agent.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetlet.oci.ImageError;
import dev.fleetlet.oci.ImageException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerUnpackerTest {
    @TempDir
    Path tmp;

    private final LayerUnpacker unpacker = new LayerUnpacker(isRoot());

    private Path layer(TarBuilder tar) throws Exception {
        Path p = Files.createTempFile(tmp, "layer", ".tgz");
        Files.write(p, tar.build());
        return p;
    }

    private Path rootfs() throws Exception {
        return Files.createDirectories(tmp.resolve("rootfs"));
    }

    @Test
    void whiteoutDeletesWhatALowerLayerCreated() throws Exception {
        Path root = rootfs();
        unpacker.unpack(layer(new TarBuilder().dir("etc", 0755).file("etc/motd", "hi", 0644).file("etc/keep", "k", 0644)),
                root, LayerUnpacker.WhiteoutMode.APPLY);

        LayerUnpacker.UnpackStats stats = unpacker.unpack(layer(new TarBuilder().file("etc/.wh.motd", "", 0644)),
                root, LayerUnpacker.WhiteoutMode.APPLY);

        assertThat(root.resolve("etc/motd")).doesNotExist();
        assertThat(root.resolve("etc/keep")).hasContent("k");
        assertThat(root.resolve("etc/.wh.motd")).doesNotExist();
        assertThat(stats.whiteouts()).isEqualTo(1);
    }

    @Test
    void opaqueDirectoryHidesLowerContentButKeepsThisLayersFiles() throws Exception {
        Path root = rootfs();
        unpacker.unpack(layer(new TarBuilder().dir("cfg", 0755).file("cfg/old-a", "a", 0644).file("cfg/old-b", "b", 0644)),
                root, LayerUnpacker.WhiteoutMode.APPLY);

        unpacker.unpack(layer(new TarBuilder().dir("cfg", 0755).file("cfg/new", "n", 0644).file("cfg/.wh..wh..opq", "", 0644)),
                root, LayerUnpacker.WhiteoutMode.APPLY);

        try (var children = Files.list(root.resolve("cfg"))) {
            assertThat(children.map(p -> p.getFileName().toString())).containsExactly("new");
        }
    }

    @Test
    void overlayModeWritesCharDeviceWhiteoutsAndOpaqueXattr() throws Exception {
        Path root = rootfs();

        unpacker.unpack(layer(new TarBuilder().dir("cfg", 0755).file("cfg/.wh..wh..opq", "", 0644).file(".wh.gone", "", 0644)),
                root, LayerUnpacker.WhiteoutMode.OVERLAY);

        Path whiteout = root.resolve("gone");
        assertThat(Files.readAttributes(whiteout, java.nio.file.attribute.BasicFileAttributes.class).isOther()).isTrue();
        assertThat(((Number) Files.getAttribute(whiteout, "unix:rdev")).longValue()).isZero();
        var xattrs = Files.getFileAttributeView(root.resolve("cfg"), java.nio.file.attribute.UserDefinedFileAttributeView.class);
        assertThat(xattrs.list()).contains("overlay.opaque");
    }

    @Test
    void keepsModesSymlinksHardlinksAndOwners() throws Exception {
        Path root = rootfs();

        unpacker.unpack(layer(new TarBuilder()
                .file("bin/tool", "#!/bin/sh", 04755, 1000, 1001)
                .symlink("bin/alias", "tool")
                .hardlink("bin/hard", "bin/tool")), root, LayerUnpacker.WhiteoutMode.APPLY);

        assertThat((int) Files.getAttribute(root.resolve("bin/tool"), "unix:mode") & 07777).isEqualTo(04755);
        assertThat(Files.readSymbolicLink(root.resolve("bin/alias"))).isEqualTo(Path.of("tool"));
        assertThat(Files.getAttribute(root.resolve("bin/hard"), "unix:ino")).isEqualTo(Files.getAttribute(root.resolve("bin/tool"), "unix:ino"));
        if (isRoot()) {
            assertThat(Files.getAttribute(root.resolve("bin/tool"), "unix:uid")).isEqualTo(1000);
            assertThat(Files.getAttribute(root.resolve("bin/tool"), "unix:gid")).isEqualTo(1001);
        }
    }

    @Test
    void refusesDotDotTraversal() throws Exception {
        Path root = rootfs();
        Path layer = layer(new TarBuilder().file("a/../../escape", "x", 0644));

        assertThatThrownBy(() -> unpacker.unpack(layer, root, LayerUnpacker.WhiteoutMode.APPLY))
                .isInstanceOfSatisfying(ImageException.class, e -> assertThat(e.error()).isEqualTo(ImageError.UNSAFE_LAYER))
                .hasMessageContaining("a/../../escape");
        assertThat(tmp.resolve("escape")).doesNotExist();
    }

    @Test
    void refusesAbsolutePaths() throws Exception {
        Path layer = layer(new TarBuilder().file("/etc/passwd", "x", 0644));

        assertThatThrownBy(() -> unpacker.unpack(layer, rootfs(), LayerUnpacker.WhiteoutMode.APPLY))
                .hasMessageContaining("UNSAFE_LAYER").hasMessageContaining("absolute path");
    }

    @Test
    void refusesWritingThroughASymlinkThatPointsOutside() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path layer = layer(new TarBuilder().symlink("evil", outside.toString()).file("evil/planted", "x", 0644));

        assertThatThrownBy(() -> unpacker.unpack(layer, rootfs(), LayerUnpacker.WhiteoutMode.APPLY))
                .hasMessageContaining("UNSAFE_LAYER").hasMessageContaining("passes through symlink evil");
        assertThat(outside.resolve("planted")).doesNotExist();
    }

    @Test
    void refusesAHardlinkToAFileOutsideTheRoot() throws Exception {
        Path layer = layer(new TarBuilder().hardlink("shadow", "../../etc/shadow"));

        assertThatThrownBy(() -> unpacker.unpack(layer, rootfs(), LayerUnpacker.WhiteoutMode.APPLY))
                .hasMessageContaining("UNSAFE_LAYER");
    }

    @Test
    void replacesASymlinkInsteadOfWritingThroughIt() throws Exception {
        Path root = rootfs();
        Path victim = Files.writeString(tmp.resolve("victim"), "original");
        unpacker.unpack(layer(new TarBuilder().symlink("conf", victim.toString())), root, LayerUnpacker.WhiteoutMode.APPLY);

        unpacker.unpack(layer(new TarBuilder().file("conf", "new", 0644)), root, LayerUnpacker.WhiteoutMode.APPLY);

        assertThat(victim).hasContent("original");
        assertThat(Files.isSymbolicLink(root.resolve("conf"))).isFalse();
        assertThat(root.resolve("conf")).hasContent("new");
        assertThat(Files.exists(root.resolve("conf"), LinkOption.NOFOLLOW_LINKS)).isTrue();
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
