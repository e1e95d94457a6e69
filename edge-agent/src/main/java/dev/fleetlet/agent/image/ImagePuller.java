package dev.fleetlet.agent.image;

import dev.fleetlet.oci.Descriptor;
import dev.fleetlet.oci.ImageError;
import dev.fleetlet.oci.ImageException;
import dev.fleetlet.oci.ImageReference;
import dev.fleetlet.oci.ManifestDocument;
import dev.fleetlet.oci.ManifestParser;
import dev.fleetlet.oci.MediaTypes;
import dev.fleetlet.oci.Platform;
import dev.fleetlet.oci.RegistryClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls an image into the store: manifest by tag or digest, index resolved to the board's
 * platform, disk-space check over the blobs not yet stored, verified blob downloads, and finally
 * the image record. The record is written last, so a failed pull (tampered blob, full disk,
 * network) leaves every existing record as it was.
 */
public final class ImagePuller {
    private static final Logger log = LoggerFactory.getLogger(ImagePuller.class);

    /** The stored record plus what the pull cost. */
    public record PullResult(ImageRecord record, long bytesTransferred, int blobsDownloaded, int blobsReused) {
    }

    private final RegistryClient registry;
    private final BlobStore blobs;
    private final ImageRecordStore records;
    private final DiskSpaceGuard diskSpace;
    private final ManifestParser parser;
    private final Platform board;
    private final Clock clock;
    private final ImageStoreLock lock;
    private final com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();

    public ImagePuller(RegistryClient registry, BlobStore blobs, ImageRecordStore records, DiskSpaceGuard diskSpace,
                       ManifestParser parser, Platform board, Clock clock, ImageStoreLock lock) {
        this.registry = registry;
        this.blobs = blobs;
        this.records = records;
        this.diskSpace = diskSpace;
        this.parser = parser;
        this.board = board;
        this.clock = clock;
        this.lock = lock;
    }

    /**
     * Pulls {@code reference} for the board's platform. Fails with an {@link ImageException}:
     * NOT_FOUND, UNAUTHORIZED, NO_MATCHING_PLATFORM, UNSUPPORTED_MEDIA_TYPE, INSUFFICIENT_DISK_SPACE,
     * DIGEST_MISMATCH / SIZE_MISMATCH (tampered or corrupt content), REGISTRY_UNREACHABLE (after
     * resumed retries; the partial blob is kept for the next attempt).
     */
    public PullResult pull(ImageReference reference) {
        return pull(reference, PullProgress.NONE);
    }

    /**
     * Like {@link #pull(ImageReference)}, reporting the bytes received to {@code progress} from the download loop:
     * at most once per {@link #PROGRESS_INTERVAL} while bytes flow, and once more when every blob is stored.
     */
    public PullResult pull(ImageReference reference, PullProgress progress) {
        return lock.whilePulling(() -> pullLocked(reference, PullProgress.throttled(progress, clock, PROGRESS_INTERVAL)));
    }

    /** The shortest time between two progress reports of one pull (docs/protocol.md, "Events"). */
    public static final java.time.Duration PROGRESS_INTERVAL = java.time.Duration.ofSeconds(2);

    private PullResult pullLocked(ImageReference reference, PullProgress progress) {
        RegistryClient.FetchedManifest top = registry.fetchManifest(reference, reference.manifestReference());
        ManifestDocument doc = parser.parse(top.body(), top.contentType());
        RegistryClient.FetchedManifest manifest = top;
        String indexDigest = null;
        if (doc instanceof ManifestDocument.Index index) {
            Descriptor chosen = choosePlatform(reference, index);
            indexDigest = top.digest().toString();
            manifest = registry.fetchManifest(reference, chosen.digest().toString());
            doc = parser.parse(manifest.body(), manifest.contentType());
            if (!(doc instanceof ManifestDocument.Image)) {
                throw new ImageException(ImageError.INVALID_MANIFEST, "index entry " + chosen.digest() + " of " + reference + " is not an image manifest");
            }
        }
        ManifestDocument.Image image = (ManifestDocument.Image) doc;
        for (Descriptor layer : image.layers()) {
            if (!MediaTypes.LAYERS.contains(layer.mediaType())) {
                throw new ImageException(ImageError.UNSUPPORTED_MEDIA_TYPE,
                        "layer " + layer.digest() + " of " + reference + " has unsupported media type " + layer.mediaType());
            }
        }
        List<Descriptor> needed = new ArrayList<>();
        needed.add(image.config());
        needed.addAll(image.layers());
        long missingBytes = needed.stream().filter(d -> !blobs.contains(d.digest())).mapToLong(Descriptor::size).sum();
        diskSpace.check(missingBytes, "pull of " + reference);

        long transferred = 0;
        int downloaded = 0;
        int reused = 0;
        long[] done = {0};
        int index = 0;
        for (Descriptor d : needed) {
            String what = reference + (d == image.config() ? " config" : " layer " + index + "/" + image.layers().size());
            index++;
            BlobStore.IngestResult r = blobs.ingest(d, offset -> registry.openBlob(reference, d.digest(), offset), n -> {
                done[0] = Math.min(missingBytes, done[0] + n);
                progress.progress(done[0], missingBytes, what);
            });
            if (d == image.config()) {
                requireBoardPlatform(reference, d);
            }
            transferred += r.bytesTransferred();
            if (r.alreadyPresent()) {
                reused++;
            } else {
                downloaded++;
            }
        }
        progress.progress(missingBytes, missingBytes, reference + " downloaded");
        if (indexDigest != null) {
            blobs.putBytes(top.body());
        }
        blobs.putBytes(manifest.body());
        List<ImageRecord.Layer> layers = image.layers().stream()
                .map(l -> new ImageRecord.Layer(l.digest().toString(), l.mediaType(), l.size()))
                .toList();
        ImageRecord record = new ImageRecord(reference.toString(), indexDigest, manifest.digest().toString(),
                image.mediaType(), image.config().digest().toString(), layers, clock.millis());
        records.put(record);
        log.info("image pulled reference={} manifest={} platform={} transferred={} downloaded={} reused={}",
                reference, manifest.digest().shortHex(), board, transferred, downloaded, reused);
        return new PullResult(record, transferred, downloaded, reused);
    }

    /** A single-platform image must have been built for the board (no index chose it for us). */
    private void requireBoardPlatform(ImageReference reference, Descriptor config) {
        try {
            ImageConfig parsed = ImageConfig.parse(java.nio.file.Files.readAllBytes(blobs.path(config.digest())), json);
            if (parsed.platform() != null && !parsed.platform().matches(board)) {
                throw new ImageException(ImageError.NO_MATCHING_PLATFORM,
                        reference + " is built for " + parsed.platform() + ", this board is " + board);
            }
        } catch (java.io.IOException e) {
            throw new ImageException(ImageError.STORE_IO, "cannot read config of " + reference + ": " + e.getMessage(), e);
        }
    }

    private Descriptor choosePlatform(ImageReference reference, ManifestDocument.Index index) {
        List<String> offered = new ArrayList<>();
        for (Descriptor d : index.manifests()) {
            if (d.platform() == null) {
                continue;
            }
            offered.add(d.platform().toString());
            if (d.platform().matches(board) && MediaTypes.MANIFESTS.contains(d.mediaType())) {
                return d;
            }
        }
        throw new ImageException(ImageError.NO_MATCHING_PLATFORM,
                reference + " has no manifest for " + board + "; index offers " + offered);
    }
}
