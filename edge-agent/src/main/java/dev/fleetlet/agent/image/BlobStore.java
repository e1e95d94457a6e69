package dev.fleetlet.agent.image;

import dev.fleetlet.oci.Descriptor;
import dev.fleetlet.oci.Digest;
import dev.fleetlet.oci.ImageError;
import dev.fleetlet.oci.ImageException;
import dev.fleetlet.oci.RegistryClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Content-addressed blob storage: {@code <root>/blobs/sha256/<hex>}. A download goes to
 * {@code <root>/ingest/<hex>.partial} while being hashed; only a blob whose size and sha256 match
 * its descriptor is renamed into place (atomic rename, after fsync). A dropped connection leaves
 * the partial file, and the next attempt asks for the rest with an HTTP Range. A digest or size
 * mismatch deletes the partial file and fails with DIGEST_MISMATCH / SIZE_MISMATCH.
 */
public final class BlobStore {
    private static final Logger log = LoggerFactory.getLogger(BlobStore.class);
    private static final int BUFFER = 64 * 1024;

    /** Opens the blob body starting at {@code offset}; the registry may ignore the offset. */
    @FunctionalInterface
    public interface BlobSource {
        RegistryClient.BlobResponse open(long offset);
    }

    /** What an ingest did: bytes actually transferred over the network and attempts made. */
    public record IngestResult(Digest digest, long size, long bytesTransferred, int attempts, boolean alreadyPresent) {
    }

    private final Path blobs;
    private final Path ingest;
    private final int maxAttempts;
    private final Map<Digest, Object> locks = new ConcurrentHashMap<>();

    /**
     * @param root        the store directory (created if missing)
     * @param maxAttempts how many times one blob download is tried (resuming each time) before failing
     */
    public BlobStore(Path root, int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
        }
        this.blobs = root.resolve("blobs").resolve("sha256");
        this.ingest = root.resolve("ingest");
        this.maxAttempts = maxAttempts;
        try {
            Files.createDirectories(blobs);
            Files.createDirectories(ingest);
        } catch (IOException e) {
            throw new ImageException(ImageError.STORE_IO, "cannot create blob store under " + root + ": " + e.getMessage(), e);
        }
    }

    public Path path(Digest digest) {
        return blobs.resolve(digest.hex());
    }

    public boolean contains(Digest digest) {
        return Files.isRegularFile(path(digest));
    }

    /** Size of a partially downloaded blob, 0 when there is none. */
    public long partialSize(Digest digest) {
        try {
            return Files.size(partial(digest));
        } catch (IOException e) {
            return 0;
        }
    }

    /** All complete blobs. */
    public Set<Digest> digests() {
        Set<Digest> out = new TreeSet<>((a, b) -> a.hex().compareTo(b.hex()));
        try (Stream<Path> files = Files.list(blobs)) {
            files.forEach(p -> {
                try {
                    out.add(new Digest("sha256", p.getFileName().toString()));
                } catch (IllegalArgumentException stray) {
                    log.warn("ignoring stray file in blob store path={}", p);
                }
            });
        } catch (IOException e) {
            throw new ImageException(ImageError.STORE_IO, "cannot list " + blobs + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Deletes a blob; returns the bytes freed (0 when absent). */
    public long delete(Digest digest) {
        Path p = path(digest);
        try {
            long size = Files.size(p);
            Files.delete(p);
            return size;
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new ImageException(ImageError.STORE_IO, "cannot delete blob " + digest + ": " + e.getMessage(), e);
        }
    }

    /**
     * Deletes partial downloads last written before {@code cutoff} (pulls abandoned for good) and
     * returns the bytes freed. Recent partials stay so that a retried pull can resume them.
     */
    public long deletePartialsOlderThan(java.time.Instant cutoff) {
        long freed = 0;
        try (Stream<Path> files = Files.list(ingest)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
                    freed += Files.size(p);
                    Files.delete(p);
                }
            }
        } catch (IOException e) {
            throw new ImageException(ImageError.STORE_IO, "cannot clean " + ingest + ": " + e.getMessage(), e);
        }
        return freed;
    }

    /** Stores bytes already in memory (a manifest) under their digest. */
    public Digest putBytes(byte[] content) {
        Digest digest = Digest.sha256Of(content);
        if (contains(digest)) {
            return digest;
        }
        try {
            Path tmp = Files.createTempFile(ingest, digest.hex(), ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(content));
                ch.force(true);
            }
            moveIntoPlace(tmp, path(digest));
        } catch (IOException e) {
            throw new ImageException(ImageError.STORE_IO, "cannot store blob " + digest + ": " + e.getMessage(), e);
        }
        return digest;
    }

    /** Downloads and verifies a blob unless it is already stored. */
    public IngestResult ingest(Descriptor descriptor, BlobSource source) {
        return ingest(descriptor, source, n -> {
        });
    }

    /**
     * Downloads and verifies a blob unless it is already stored, telling {@code onBytes} the size of every chunk
     * received (on the calling thread, from the download loop; retried attempts report only their new bytes).
     */
    public IngestResult ingest(Descriptor descriptor, BlobSource source, java.util.function.LongConsumer onBytes) {
        Digest digest = descriptor.digest();
        synchronized (locks.computeIfAbsent(digest, d -> new Object())) {
            if (contains(digest)) {
                return new IngestResult(digest, descriptor.size(), 0, 0, true);
            }
            long[] transferred = {0};
            for (int attempt = 1; ; attempt++) {
                try {
                    Digest actual = downloadOnce(descriptor, source, transferred, onBytes);
                    verifyAndCommit(descriptor, actual);
                    log.info("blob stored digest={} size={} transferred={} attempts={}",
                            digest.shortHex(), descriptor.size(), transferred[0], attempt);
                    return new IngestResult(digest, descriptor.size(), transferred[0], attempt, false);
                } catch (IOException | ImageException e) {
                    boolean retryable = e instanceof IOException || ((ImageException) e).error().retryable();
                    if (!retryable) {
                        throw e instanceof ImageException ie ? ie
                                : new ImageException(ImageError.STORE_IO, e.getMessage(), e);
                    }
                    if (attempt >= maxAttempts) {
                        throw new ImageException(ImageError.REGISTRY_UNREACHABLE, "blob " + digest + " failed after "
                                + attempt + " attempts (" + partialSize(digest) + " of " + descriptor.size()
                                + " bytes kept for resume): " + e.getMessage(), e);
                    }
                    log.warn("blob download interrupted, will resume digest={} have={} of={} attempt={} error={}",
                            digest.shortHex(), partialSize(digest), descriptor.size(), attempt, e.getMessage());
                }
            }
        }
    }

    /**
     * One HTTP attempt: appends to the partial file while hashing, adding every byte received to
     * {@code counter[0]}; returns the digest of the complete file or throws when it ended early.
     */
    private Digest downloadOnce(Descriptor descriptor, BlobSource source, long[] counter,
                                java.util.function.LongConsumer onBytes) throws IOException {
        Path partial = partial(descriptor.digest());
        long have = Files.exists(partial) ? Files.size(partial) : 0;
        if (have > descriptor.size()) {
            Files.delete(partial);
            have = 0;
        }
        MessageDigest md = Digest.newSha256();
        if (have == descriptor.size() && have > 0) {
            hashPrefix(partial, have, md);
            return Digest.fromHash(md.digest());
        }
        RegistryClient.BlobResponse response = source.open(have);
        long received = 0;
        boolean tooLarge = false;
        try (InputStream in = response.body();
             FileChannel out = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            if (response.startOffset() != have) {
                out.truncate(response.startOffset());
                have = response.startOffset();
            }
            hashPrefix(partial, have, md);
            out.position(have);
            byte[] buf = new byte[BUFFER];
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (have + received + n > descriptor.size()) {
                    tooLarge = true;
                    break;
                }
                md.update(buf, 0, n);
                out.write(ByteBuffer.wrap(buf, 0, n));
                received += n;
                counter[0] += n;
                onBytes.accept(n);
            }
            out.force(true);
        } catch (IOException e) {
            throw new IOException(e.getMessage() + " (after " + received + " bytes this attempt)", e);
        }
        if (tooLarge) {
            Files.deleteIfExists(partial);
            throw new ImageException(ImageError.SIZE_MISMATCH, "blob " + descriptor.digest()
                    + " is larger than its descriptor size " + descriptor.size());
        }
        if (have + received < descriptor.size()) {
            throw new IOException("blob " + descriptor.digest().shortHex() + " ended at " + (have + received)
                    + " of " + descriptor.size() + " bytes");
        }
        return Digest.fromHash(md.digest());
    }

    /** Feeds the first {@code length} bytes already on disk (a resumed download) into the hash. */
    private static void hashPrefix(Path partial, long length, MessageDigest md) throws IOException {
        if (length == 0) {
            return;
        }
        try (InputStream in = Files.newInputStream(partial)) {
            byte[] buf = new byte[BUFFER];
            long left = length;
            int n;
            while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
                md.update(buf, 0, n);
                left -= n;
            }
        }
    }

    private void verifyAndCommit(Descriptor descriptor, Digest actual) throws IOException {
        Path partial = partial(descriptor.digest());
        long size = Files.size(partial);
        if (size != descriptor.size()) {
            Files.deleteIfExists(partial);
            throw new ImageException(ImageError.SIZE_MISMATCH, "blob " + descriptor.digest() + " has " + size
                    + " bytes, descriptor says " + descriptor.size());
        }
        if (!actual.equals(descriptor.digest())) {
            Files.deleteIfExists(partial);
            throw new ImageException(ImageError.DIGEST_MISMATCH, "blob " + descriptor.digest()
                    + " failed verification: content hashes to " + actual + "; download discarded");
        }
        moveIntoPlace(partial, path(descriptor.digest()));
    }

    private static void moveIntoPlace(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("blob store and ingest directory must be on one filesystem", e);
        }
    }

    private Path partial(Digest digest) {
        return ingest.resolve(digest.hex() + ".partial");
    }
}
