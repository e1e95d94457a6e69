package dev.fleetlet.agent.image;

import dev.fleetlet.oci.ImageError;
import dev.fleetlet.oci.ImageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Refuses a pull before any download when the store's filesystem lacks room for the missing
 * blobs, their unpacked layers (estimated as {@code expansionFactor} times the compressed size)
 * and a fixed safety margin. Fails with INSUFFICIENT_DISK_SPACE naming the figures.
 */
public final class DiskSpaceGuard {

    /** Usable bytes on the filesystem holding a path; injectable so tests can simulate a full card. */
    @FunctionalInterface
    public interface UsableSpace {
        long bytes(Path path) throws IOException;
    }

    private final Path root;
    private final long marginBytes;
    private final double expansionFactor;
    private final UsableSpace usableSpace;

    public DiskSpaceGuard(Path root, long marginBytes, double expansionFactor, UsableSpace usableSpace) {
        if (marginBytes < 0 || expansionFactor < 0) {
            throw new IllegalArgumentException("marginBytes and expansionFactor must be >= 0");
        }
        this.root = root;
        this.marginBytes = marginBytes;
        this.expansionFactor = expansionFactor;
        this.usableSpace = usableSpace;
    }

    /** Uses the real filesystem: 64 MiB margin, layers assumed to unpack to 3x their compressed size. */
    public static DiskSpaceGuard forStore(Path root) {
        return new DiskSpaceGuard(root, 64L << 20, 3.0, p -> Files.getFileStore(p).getUsableSpace());
    }

    /** Bytes needed for downloading {@code downloadBytes}: download + estimated unpack + margin. */
    public long required(long downloadBytes) {
        return downloadBytes + (long) (downloadBytes * expansionFactor) + marginBytes;
    }

    public void check(long downloadBytes, String what) {
        long usable;
        try {
            usable = usableSpace.bytes(root);
        } catch (IOException e) {
            throw new ImageException(ImageError.STORE_IO, "cannot read free space of " + root + ": " + e.getMessage(), e);
        }
        long required = required(downloadBytes);
        if (usable < required) {
            throw new ImageException(ImageError.INSUFFICIENT_DISK_SPACE, what + " needs " + required
                    + " bytes (download " + downloadBytes + " + unpack estimate + margin " + marginBytes
                    + ") but only " + usable + " are usable under " + root);
        }
    }
}
