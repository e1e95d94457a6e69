package dev.fleetlet.agent.image;

import dev.fleetlet.oci.Digest;
import dev.fleetlet.oci.ImageError;
import dev.fleetlet.oci.ImageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Layers unpacked once for overlayfs, under {@code <root>/layers/sha256/<blob hex>}, shared by
 * every image and container that uses the layer. Each layer is unpacked into a temp directory and
 * renamed into place, so a crash never leaves a half-unpacked layer that looks complete.
 */
public final class LayerCache {
    private final Path dir;
    private final BlobStore blobs;
    private final LayerUnpacker unpacker;

    public LayerCache(Path root, BlobStore blobs, LayerUnpacker unpacker) {
        this.dir = root.resolve("layers").resolve("sha256");
        this.blobs = blobs;
        this.unpacker = unpacker;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ImageException(ImageError.STORE_IO, "cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The unpacked directory of a stored layer blob, unpacking it first if needed. */
    public synchronized Path unpacked(Digest layer) {
        Path target = dir.resolve(layer.hex());
        if (Files.isDirectory(target)) {
            return target;
        }
        if (!blobs.contains(layer)) {
            throw new ImageException(ImageError.NOT_FOUND, "layer blob " + layer + " is not in the store");
        }
        Path tmp = dir.resolve(".tmp-" + layer.hex());
        try {
            LayerUnpacker.deleteRecursively(tmp);
            unpacker.unpack(blobs.path(layer), tmp, LayerUnpacker.WhiteoutMode.OVERLAY);
            LayerUnpacker.moveIntoPlace(tmp, target);
        } catch (IOException e) {
            throw new ImageException(ImageError.STORE_IO, "cannot unpack layer " + layer + ": " + e.getMessage(), e);
        }
        return target;
    }

    /** Deletes unpacked layers whose digest is not in {@code keep}; returns how many. */
    public synchronized int retainOnly(Set<Digest> keep) {
        int removed = 0;
        try (Stream<Path> dirs = Files.list(dir)) {
            for (Path p : (Iterable<Path>) dirs::iterator) {
                String name = p.getFileName().toString();
                boolean kept = name.matches("[0-9a-f]{64}") && keep.contains(new Digest("sha256", name));
                if (!kept) {
                    LayerUnpacker.deleteRecursively(p);
                    removed++;
                }
            }
        } catch (IOException e) {
            throw new ImageException(ImageError.STORE_IO, "cannot clean " + dir + ": " + e.getMessage(), e);
        }
        return removed;
    }
}
