package dev.fleetlet.agent.image;

import dev.fleetlet.oci.Digest;
import dev.fleetlet.oci.ImageError;
import dev.fleetlet.oci.ImageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a container's root filesystem from a pulled image, in {@code <containerDir>/rootfs}.
 *
 * <p>{@link Strategy#OVERLAY}: the image's layers, each unpacked once in the {@link LayerCache},
 * become overlayfs lower directories; the container writes into its own upper directory, so layers
 * are shared on disk. {@link Strategy#COPY}: every layer is unpacked, in order, into one directory
 * (used when overlayfs is missing). {@link #assemble} falls back from OVERLAY to COPY when
 * {@link OverlaySupport} says overlayfs cannot be mounted, and when the image has more layers than one overlay
 * mount can name (the kernel takes one page of mount options: about 38 layer paths).
 */
public final class RootfsAssembler {
    private static final Logger log = LoggerFactory.getLogger(RootfsAssembler.class);

    /** How a rootfs is made. */
    public enum Strategy { OVERLAY, COPY }

    /** An assembled rootfs; pass it back to {@link #release} when the container is deleted. */
    public record Rootfs(Path path, Strategy strategy, Path containerDir) {
    }

    private final BlobStore blobs;
    private final LayerCache layers;
    private final LayerUnpacker unpacker;
    private final OverlaySupport overlay;

    public RootfsAssembler(BlobStore blobs, LayerCache layers, LayerUnpacker unpacker, OverlaySupport overlay) {
        this.blobs = blobs;
        this.layers = layers;
        this.unpacker = unpacker;
        this.overlay = overlay;
    }

    public Rootfs assemble(ImageRecord image, Path containerDir, Strategy preferred) {
        Strategy strategy = preferred == Strategy.OVERLAY && overlay.available() ? Strategy.OVERLAY : Strategy.COPY;
        Path rootfs = containerDir.resolve("rootfs");
        try {
            Files.createDirectories(rootfs);
            if (strategy == Strategy.OVERLAY) {
                List<Path> lowerTopFirst = new ArrayList<>();
                for (Digest layer : image.layerDigests()) {
                    lowerTopFirst.add(0, layers.unpacked(layer));
                }
                if (lowerTopFirst.isEmpty()) {
                    lowerTopFirst.add(Files.createDirectories(containerDir.resolve("empty")));
                }
                Path upper = containerDir.resolve("upper");
                Path work = containerDir.resolve("work");
                if (OverlayMount.fits(lowerTopFirst, upper, work)) {
                    Files.createDirectories(upper);
                    Files.createDirectories(work);
                    OverlayMount.mount(lowerTopFirst, upper, work, rootfs);
                } else {
                    log.warn("image has too many layers for one overlay mount, copying them instead image={} layers={}",
                            image.reference(), lowerTopFirst.size());
                    strategy = Strategy.COPY;
                }
            }
            if (strategy == Strategy.COPY) {
                for (Digest layer : image.layerDigests()) {
                    unpacker.unpack(blobs.path(layer), rootfs, LayerUnpacker.WhiteoutMode.APPLY);
                }
            }
        } catch (IOException e) {
            throw new ImageException(ImageError.STORE_IO, "cannot assemble rootfs in " + containerDir + ": " + e.getMessage(), e);
        }
        log.info("rootfs assembled image={} strategy={} layers={} path={}", image.reference(), strategy, image.layers().size(), rootfs);
        return new Rootfs(rootfs, strategy, containerDir);
    }

    /** Unmounts (overlay) and deletes the container's rootfs and overlay directories. */
    public void release(Rootfs rootfs) {
        try {
            if (rootfs.strategy() == Strategy.OVERLAY && isMounted(rootfs.path())) {
                OverlayMount.unmount(rootfs.path());
            }
            for (String d : List.of("rootfs", "upper", "work", "empty")) {
                LayerUnpacker.deleteRecursively(rootfs.containerDir().resolve(d));
            }
        } catch (IOException e) {
            throw new ImageException(ImageError.STORE_IO, "cannot delete rootfs " + rootfs.path() + ": " + e.getMessage(), e);
        }
    }

    private static boolean isMounted(Path path) {
        try {
            String target = " " + path.toAbsolutePath() + " ";
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().anyMatch(l -> l.contains(target));
        } catch (IOException e) {
            return true;
        }
    }
}
