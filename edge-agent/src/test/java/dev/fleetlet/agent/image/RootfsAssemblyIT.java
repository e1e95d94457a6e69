package dev.fleetlet.agent.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.agent.containertest.StoreFixture;
import dev.fleetlet.oci.Digest;
import dev.fleetlet.oci.MediaTypes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** overlayfs and copy assembly of the same layers give the same tree (we are root, overlay is available). */
class RootfsAssemblyIT {
    @TempDir
    Path tmp;

    @Test
    void overlayAndCopyAgreeOnWhiteoutsAndOpaqueDirectories() throws Exception {
        StoreFixture s = new StoreFixture(tmp.resolve("store"));
        Digest lower = s.blobs.putBytes(new TarBuilder().dir("cfg", 0755).file("cfg/a", "a", 0644).file("cfg/b", "b", 0644)
                .dir("etc", 0755).file("etc/gone", "g", 0644).file("etc/kept", "k", 0644).build());
        Digest upper = s.blobs.putBytes(new TarBuilder().dir("cfg", 0755).file("cfg/.wh..wh..opq", "", 0644)
                .file("cfg/c", "c", 0644).file("etc/.wh.gone", "", 0644).file("etc/kept", "k2", 0644).build());
        ImageRecord image = new ImageRecord("test/handmade:1", null, Digest.sha256Of(new byte[] {1}).toString(),
                MediaTypes.OCI_MANIFEST, Digest.sha256Of(new byte[] {2}).toString(),
                List.of(new ImageRecord.Layer(lower.toString(), "application/vnd.oci.image.layer.v1.tar+gzip", 1),
                        new ImageRecord.Layer(upper.toString(), "application/vnd.oci.image.layer.v1.tar+gzip", 1)), 0);

        RootfsAssembler.Rootfs overlay = s.rootfs.assemble(image, tmp.resolve("c1"), RootfsAssembler.Strategy.OVERLAY);
        RootfsAssembler.Rootfs copy = s.rootfs.assemble(image, tmp.resolve("c2"), RootfsAssembler.Strategy.COPY);
        try {
            assertThat(overlay.strategy()).isEqualTo(RootfsAssembler.Strategy.OVERLAY);
            assertThat(tree(overlay.path())).isEqualTo(tree(copy.path())).containsExactly("cfg", "cfg/c", "etc", "etc/kept");
            assertThat(overlay.path().resolve("etc/kept")).hasContent("k2");

            Files.writeString(overlay.path().resolve("etc/kept"), "written-by-container");
            assertThat(s.layers.unpacked(upper).resolve("etc/kept")).as("shared layer untouched").hasContent("k2");
        } finally {
            s.rootfs.release(overlay);
            s.rootfs.release(copy);
        }
        assertThat(tmp.resolve("c1/rootfs")).doesNotExist();
    }

    @Test
    void anImageWithMoreLayersThanOneOverlayMountCanNameIsCopiedInstead() throws Exception {
        // given an image of 60 layers: their paths are far more than the one page of options a mount takes
        StoreFixture s = new StoreFixture(tmp.resolve("store"));
        List<ImageRecord.Layer> layers = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            TarBuilder tar = new TarBuilder().file("f" + i, "layer " + i, 0644);
            if (i == 59) {
                tar.file(".wh.f0", "", 0644);
            }
            layers.add(new ImageRecord.Layer(s.blobs.putBytes(tar.build()).toString(),
                    "application/vnd.oci.image.layer.v1.tar+gzip", 1));
            if (i > 0) {
                expected.add("f" + i);
            }
        }
        ImageRecord image = new ImageRecord("test/many-layers:1", null, Digest.sha256Of(new byte[] {3}).toString(),
                MediaTypes.OCI_MANIFEST, Digest.sha256Of(new byte[] {4}).toString(), layers, 0);

        // when it is assembled with overlay preferred
        RootfsAssembler.Rootfs rootfs = s.rootfs.assemble(image, tmp.resolve("c3"), RootfsAssembler.Strategy.OVERLAY);
        try {
            // then it is copied, whole and with the top layer's whiteout applied, instead of failing or mounting a
            // cut-short overlay
            assertThat(rootfs.strategy()).isEqualTo(RootfsAssembler.Strategy.COPY);
            assertThat(tree(rootfs.path())).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(rootfs.path().resolve("f59")).hasContent("layer 59");
        } finally {
            s.rootfs.release(rootfs);
        }
        assertThat(tmp.resolve("c3/rootfs")).doesNotExist();
    }

    private static List<String> tree(Path root) throws Exception {
        List<String> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString()).sorted().forEach(out::add);
        }
        return out;
    }
}
