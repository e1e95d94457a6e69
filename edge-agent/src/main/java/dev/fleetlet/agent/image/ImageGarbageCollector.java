package dev.fleetlet.agent.image;

import dev.fleetlet.oci.Digest;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes images no release references, then every blob and unpacked layer no remaining image
 * needs. Layers shared between images stay as long as one image uses them.
 */
public final class ImageGarbageCollector {
    private static final Logger log = LoggerFactory.getLogger(ImageGarbageCollector.class);

    /** What a collection removed; {@code freedBytes} counts blobs and abandoned partial downloads. */
    public record GcReport(List<String> removedImages, int removedBlobs, long freedBytes, int removedLayerDirs) {
    }

    private final ImageRecordStore records;
    private final BlobStore blobs;
    private final LayerCache layers;
    private final ImageStoreLock lock;
    private final java.time.Clock clock;
    private final java.time.Duration partialMaxAge;

    /** @param partialMaxAge partial downloads untouched for this long are deleted (e.g. 24 h) */
    public ImageGarbageCollector(ImageRecordStore records, BlobStore blobs, LayerCache layers, ImageStoreLock lock,
                                 java.time.Clock clock, java.time.Duration partialMaxAge) {
        this.records = records;
        this.blobs = blobs;
        this.layers = layers;
        this.lock = lock;
        this.clock = clock;
        this.partialMaxAge = partialMaxAge;
    }

    /**
     * Removes everything not reachable from {@code inUse}; waits for pulls in progress first.
     * The caller must include the images of running containers (the current and the rollback
     * release), whose overlay mounts use the unpacked layers.
     *
     * @param inUse references (as stored in {@link ImageRecord#reference()}) that releases still name
     */
    public GcReport collect(Set<String> inUse) {
        return lock.exclusively(() -> collectLocked(inUse));
    }

    private GcReport collectLocked(Set<String> inUse) {
        List<String> removedImages = new java.util.ArrayList<>();
        Set<Digest> keep = new HashSet<>();
        for (ImageRecord r : records.list()) {
            if (inUse.contains(r.reference())) {
                keep.addAll(r.blobs());
            } else {
                records.remove(r.reference());
                removedImages.add(r.reference());
            }
        }
        int removedBlobs = 0;
        long freed = 0;
        for (Digest d : blobs.digests()) {
            if (!keep.contains(d)) {
                freed += blobs.delete(d);
                removedBlobs++;
            }
        }
        freed += blobs.deletePartialsOlderThan(clock.instant().minus(partialMaxAge));
        int removedDirs = layers.retainOnly(keep);
        log.info("image gc removedImages={} removedBlobs={} freedBytes={} removedLayerDirs={}",
                removedImages.size(), removedBlobs, freed, removedDirs);
        return new GcReport(List.copyOf(removedImages), removedBlobs, freed, removedDirs);
    }
}
