package dev.fleetlet.agent.release.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.agent.image.BlobStore;
import dev.fleetlet.agent.image.ImageConfig;
import dev.fleetlet.agent.image.ImageGarbageCollector;
import dev.fleetlet.agent.image.ImagePuller;
import dev.fleetlet.agent.image.ImageRecord;
import dev.fleetlet.agent.image.ImageRecordStore;
import dev.fleetlet.agent.image.PullProgress;
import dev.fleetlet.agent.image.RootfsAssembler;
import dev.fleetlet.agent.release.ReleaseImages;
import dev.fleetlet.oci.Digest;
import dev.fleetlet.oci.ImageError;
import dev.fleetlet.oci.ImageException;
import dev.fleetlet.oci.ImageReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@link ReleaseImages} over the agent's image store: {@link ImagePuller} for pulls, {@link RootfsAssembler} for
 * one rootfs per container under {@code <containersDir>/<id>} (overlay when the kernel has it, else a copy
 * marked complete by a {@code .assembled} file), {@link ImageGarbageCollector} for collection.
 */
public final class StoreReleaseImages implements ReleaseImages {

    private static final String COPY_MARKER = ".assembled";
    /** Parsed image configs kept (by config digest: content-addressed, so never stale); cleared beyond this many. */
    private static final int CONFIG_CACHE_SIZE = 32;

    private final ImagePuller puller;
    private final ImageRecordStore records;
    private final BlobStore blobs;
    private final RootfsAssembler assembler;
    private final ImageGarbageCollector gc;
    private final Path containersDir;
    private final ObjectMapper json;
    private final Map<String, ImageConfig> configs = new ConcurrentHashMap<>();

    public StoreReleaseImages(ImagePuller puller, ImageRecordStore records, BlobStore blobs, RootfsAssembler assembler,
                              ImageGarbageCollector gc, Path containersDir, ObjectMapper json) {
        this.puller = puller;
        this.records = records;
        this.blobs = blobs;
        this.assembler = assembler;
        this.gc = gc;
        this.containersDir = containersDir;
        this.json = json;
    }

    @Override
    public Pulled pull(String reference) {
        return pull(reference, PullProgress.NONE);
    }

    @Override
    public Pulled pull(String reference, PullProgress progress) {
        ImagePuller.PullResult r = puller.pull(ImageReference.parse(reference), progress);
        return new Pulled(reference, config(r.record()), r.bytesTransferred());
    }

    @Override
    public Optional<ImageConfig> stored(String reference) {
        return records.get(key(reference)).filter(r -> blobs.contains(Digest.parse(r.configDigest()))).map(this::config);
    }

    @Override
    public Path rootfs(String containerId, String reference) {
        Path dir = containersDir.resolve(containerId);
        Path rootfs = dir.resolve("rootfs");
        if (Files.exists(dir)) {
            // a new container has no directory yet: only then is the mount table (long on a busy host) not read
            if (Files.exists(dir.resolve(COPY_MARKER)) || isMountPoint(rootfs)) {
                return rootfs;
            }
            releaseRootfs(containerId);
        }
        ImageRecord record = records.get(key(reference)).orElseThrow(() -> new ImageException(ImageError.NOT_FOUND,
                "image " + reference + " is not in the store"));
        RootfsAssembler.Rootfs r = assembler.assemble(record, dir, RootfsAssembler.Strategy.OVERLAY);
        if (r.strategy() == RootfsAssembler.Strategy.COPY) {
            try {
                Files.writeString(dir.resolve(COPY_MARKER), reference);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot mark rootfs of " + containerId + " assembled", e);
            }
        }
        return r.path();
    }

    @Override
    public void releaseRootfs(String containerId) {
        Path dir = containersDir.resolve(containerId);
        if (!Files.exists(dir)) {
            return;
        }
        assembler.release(new RootfsAssembler.Rootfs(dir.resolve("rootfs"), RootfsAssembler.Strategy.OVERLAY, dir));
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete container directory " + dir, e);
        }
    }

    @Override
    public Set<String> rootfsIds() {
        if (!Files.isDirectory(containersDir)) {
            return Set.of();
        }
        try (Stream<Path> s = Files.list(containersDir)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .collect(Collectors.toCollection(LinkedHashSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + containersDir, e);
        }
    }

    @Override
    public int collectGarbage(Set<String> keep) {
        Set<String> keys = keep.stream().map(StoreReleaseImages::key).collect(Collectors.toSet());
        return gc.collect(keys).removedImages().size();
    }

    private ImageConfig config(ImageRecord record) {
        ImageConfig cached = configs.get(record.configDigest());
        if (cached != null) {
            return cached;
        }
        try {
            ImageConfig c = ImageConfig.parse(Files.readAllBytes(blobs.path(Digest.parse(record.configDigest()))), json);
            if (configs.size() >= CONFIG_CACHE_SIZE) {
                configs.clear();
            }
            configs.put(record.configDigest(), c);
            return c;
        } catch (IOException e) {
            throw new ImageException(ImageError.STORE_IO, "cannot read config of " + record.reference() + ": " + e.getMessage(), e);
        }
    }

    private static String key(String reference) {
        return ImageReference.parse(reference).toString();
    }

    private static boolean isMountPoint(Path path) {
        try {
            String target = " " + path.toAbsolutePath() + " ";
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().anyMatch(l -> l.contains(target));
        } catch (IOException e) {
            return false;
        }
    }
}
