package dev.fleetlet.agent.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Crash-safe small-file writes: write a temporary sibling, fsync it, rename it over the target,
 * fsync the directory. After a power cut the target holds either the old or the new content, never
 * a mix. Used for the queue cursor, credentials, desired state and the last-known-good config.
 */
public final class AtomicFiles {

    /** rw------- : for secrets. */
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    /** rw-r--r-- : for everything else. */
    public static final Set<PosixFilePermission> WORLD_READABLE = PosixFilePermissions.fromString("rw-r--r--");

    private AtomicFiles() {
    }

    /** Replaces {@code target} with {@code data} atomically and durably, with mode rw-r--r--. */
    public static void write(Path target, byte[] data) throws IOException {
        write(target, data, WORLD_READABLE);
    }

    /**
     * Replaces {@code target} with {@code data} atomically and durably. The file is created with
     * {@code permissions} from the start (on POSIX file systems), so a secret is never readable by
     * others, not even for an instant.
     *
     * @throws IOException when the directory is not writable or the disk is full; the target is then unchanged
     */
    public static void write(Path target, byte[] data, Set<PosixFilePermission> permissions) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
        FileAttribute<?>[] attrs = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
                : new FileAttribute<?>[0];
        Files.createFile(tmp, attrs);
        if (posix) {
            // the umask may have removed bits we asked for; set exactly what was requested
            Files.setPosixFilePermissions(tmp, permissions);
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsyncDirectory(dir);
    }

    /**
     * Makes a directory entry change (create, rename, delete) durable. A no-op on file systems that
     * cannot open a directory for syncing.
     */
    public static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (FileSystemException e) {
            // not supported here (e.g. some non-Linux file systems): rename is still atomic
        } catch (IOException e) {
            // same: best effort, the data itself was already forced
        }
    }
}
