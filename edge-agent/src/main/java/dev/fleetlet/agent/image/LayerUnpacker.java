package dev.fleetlet.agent.image;

import dev.fleetlet.agent.hostcmd.HostCommand;
import dev.fleetlet.oci.ImageError;
import dev.fleetlet.oci.ImageException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unpacks one layer blob (tar, optionally gzip) into a directory.
 *
 * <p>{@link WhiteoutMode#APPLY} merges the layer into a rootfs that already holds the layers below:
 * {@code .wh.<name>} deletes {@code name}, {@code .wh..wh..opq} empties the directory of what the
 * lower layers put there. {@link WhiteoutMode#OVERLAY} writes the layer into its own directory for
 * overlayfs: a whiteout becomes a 0/0 character device and an opaque marker the
 * {@code user.overlay.opaque=y} xattr (the rootfs is mounted with {@code userxattr}).
 *
 * <p>Absolute names, {@code ..} segments, entries below a symlink and hard links leaving the root
 * fail the whole layer with UNSAFE_LAYER. Modes (including setuid), symlinks, hard links and
 * modification times are kept; owners too when {@code preserveOwners} (the agent runs as root).
 * Device nodes and FIFOs inside layers are skipped (logged).
 */
public final class LayerUnpacker {
    private static final Logger log = LoggerFactory.getLogger(LayerUnpacker.class);
    private static final String OPAQUE = ".wh..wh..opq";
    private static final String WHITEOUT = ".wh.";

    /** How whiteout entries are materialised. */
    public enum WhiteoutMode { APPLY, OVERLAY }

    /** Counts for logs and tests. */
    public record UnpackStats(int entries, long fileBytes, int whiteouts, int skipped) {
    }

    private final boolean preserveOwners;

    public LayerUnpacker(boolean preserveOwners) {
        this.preserveOwners = preserveOwners;
    }

    public UnpackStats unpack(Path layerBlob, Path target, WhiteoutMode mode) {
        Path root = target.toAbsolutePath().normalize();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(layerBlob), 64 * 1024);
             TarArchiveInputStream tar = new TarArchiveInputStream(decompress(raw))) {
            Files.createDirectories(root);
            return new Run(root, mode).unpackAll(tar);
        } catch (IOException e) {
            throw new ImageException(ImageError.STORE_IO, "unpacking " + layerBlob.getFileName() + " failed: " + e.getMessage(), e);
        }
    }

    private static InputStream decompress(InputStream raw) throws IOException {
        raw.mark(4);
        int b1 = raw.read();
        int b2 = raw.read();
        raw.reset();
        if (b1 == 0x1f && b2 == 0x8b) {
            return GzipCompressorInputStream.builder().setInputStream(raw).setDecompressConcatenated(true).get();
        }
        if (b1 == 0x28 && b2 == 0xb5) {
            throw new ImageException(ImageError.UNSUPPORTED_MEDIA_TYPE, "zstd-compressed layers are not supported");
        }
        return raw;
    }

    /** State of one layer extraction. */
    private final class Run {
        private final Path root;
        private final WhiteoutMode mode;
        private final Set<Path> created = new HashSet<>();
        private final List<TarArchiveEntry> dirEntries = new ArrayList<>();
        private final List<Path> dirPaths = new ArrayList<>();
        private int entries;
        private long bytes;
        private int whiteouts;
        private int skipped;

        Run(Path root, WhiteoutMode mode) {
            this.root = root;
            this.mode = mode;
        }

        UnpackStats unpackAll(TarArchiveInputStream tar) throws IOException {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                entries++;
                String name = SafePaths.entryName(e.getName());
                if (name.isEmpty()) {
                    continue;
                }
                Path path = SafePaths.resolve(root, name, e.getName());
                String base = path.getFileName().toString();
                if (base.equals(OPAQUE)) {
                    opaque(path.getParent());
                } else if (base.startsWith(WHITEOUT)) {
                    whiteout(path.resolveSibling(base.substring(WHITEOUT.length())));
                } else {
                    extract(e, path, tar);
                }
            }
            for (int i = dirPaths.size() - 1; i >= 0; i--) {
                Files.setLastModifiedTime(dirPaths.get(i), FileTime.from(dirEntries.get(i).getLastModifiedTime().toInstant()));
            }
            return new UnpackStats(entries, bytes, whiteouts, skipped);
        }

        private void extract(TarArchiveEntry e, Path path, TarArchiveInputStream tar) throws IOException {
            Files.createDirectories(path.getParent());
            if (e.isDirectory()) {
                if (Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    Files.delete(path);
                }
                Files.createDirectories(path);
                dirEntries.add(e);
                dirPaths.add(path);
            } else if (e.isSymbolicLink()) {
                removeExisting(path);
                Files.createSymbolicLink(path, Path.of(e.getLinkName()));
            } else if (e.isLink()) {
                String linkName = SafePaths.entryName(e.getLinkName());
                Path source = SafePaths.resolve(root, linkName, e.getLinkName());
                if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
                    throw SafePaths.unsafe(e.getName(), "hard link target '" + e.getLinkName() + "' is not a file in this layer");
                }
                removeExisting(path);
                Files.createLink(path, source);
                created.add(path);
                return; // shares the target's inode, owner and mode
            } else if (e.isFile()) {
                removeExisting(path);
                Files.copy(tar, path);
                bytes += e.getSize();
            } else {
                skipped++;
                log.warn("layer entry skipped name={} type=device-or-fifo", e.getName());
                return;
            }
            created.add(path);
            applyMetadata(e, path);
        }

        private void applyMetadata(TarArchiveEntry e, Path path) throws IOException {
            boolean symlink = e.isSymbolicLink();
            if (preserveOwners) {
                Files.setAttribute(path, "unix:uid", (int) e.getLongUserId(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(path, "unix:gid", (int) e.getLongGroupId(), LinkOption.NOFOLLOW_LINKS);
            }
            if (!symlink) {
                Files.setAttribute(path, "unix:mode", e.getMode() & 07777);
                if (!e.isDirectory()) {
                    Files.setLastModifiedTime(path, FileTime.from(e.getLastModifiedTime().toInstant()));
                }
            }
        }

        private void whiteout(Path victim) throws IOException {
            whiteouts++;
            if (mode == WhiteoutMode.OVERLAY) {
                removeExisting(victim);
                Files.createDirectories(victim.getParent());
                HostCommand.run(List.of("mknod", victim.toString(), "c", "0", "0"), Duration.ofSeconds(10));
                created.add(victim);
            } else if (!created.contains(victim)) {
                deleteRecursively(victim);
            }
        }

        private void opaque(Path dir) throws IOException {
            whiteouts++;
            Files.createDirectories(dir);
            if (mode == WhiteoutMode.OVERLAY) {
                UserDefinedFileAttributeView xattrs = Files.getFileAttributeView(dir, UserDefinedFileAttributeView.class);
                xattrs.write("overlay.opaque", ByteBuffer.wrap(new byte[] {'y'}));
                return;
            }
            try (Stream<Path> children = Files.list(dir)) {
                for (Path child : (Iterable<Path>) children::iterator) {
                    if (!created.contains(child)) {
                        deleteRecursively(child);
                    }
                }
            }
        }
    }

    private static void removeExisting(Path path) throws IOException {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            deleteRecursively(path);
        } else {
            Files.deleteIfExists(path);
        }
    }

    /** Deletes a file or tree without following symlinks. */
    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Moves a freshly unpacked directory into place atomically. */
    static void moveIntoPlace(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }
}
