package dev.fleetlet.agent.release;

import dev.fleetlet.agent.image.ImageConfig;
import dev.fleetlet.oci.ImageError;
import dev.fleetlet.oci.ImageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Images in memory: every reference pulls unless {@link #failPull} names it; rootfs are empty temp directories. */
final class FakeReleaseImages implements ReleaseImages {

    private final Path root;
    private final List<String> log;
    final Map<String, String> failPull = new LinkedHashMap<>();
    /** Container ids whose rootfs cannot be released (as an overlay mount the kernel reports busy). */
    final Set<String> busyRootfs = new LinkedHashSet<>();
    final Set<String> stored = new LinkedHashSet<>();
    final List<Set<String>> gcKeeps = new ArrayList<>();

    /** @param log shared with the test's supervisor listener, to see the order of pulls and starts */
    FakeReleaseImages(Path root, List<String> log) {
        this.root = root;
        this.log = log;
    }

    static ImageConfig config() {
        return new ImageConfig(null, List.of("/bin/sh"), List.of("-c", "sleep 1000"), List.of("PATH=/bin", "MODE=image"),
                "/srv", "");
    }

    @Override
    public synchronized Pulled pull(String reference) {
        String error = failPull.get(reference);
        log.add("pull " + reference);
        if (error != null) {
            throw new ImageException(ImageError.NOT_FOUND, error);
        }
        stored.add(reference);
        return new Pulled(reference, config(), 1000);
    }

    @Override
    public synchronized Optional<ImageConfig> stored(String reference) {
        return stored.contains(reference) ? Optional.of(config()) : Optional.empty();
    }

    @Override
    public synchronized Path rootfs(String containerId, String reference) {
        try {
            return Files.createDirectories(root.resolve(containerId).resolve("rootfs"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void releaseRootfs(String containerId) {
        if (busyRootfs.contains(containerId)) {
            throw new UncheckedIOException(new java.io.IOException("umount " + containerId + " failed: errno 16 (Device or resource busy)"));
        }
        Path dir = root.resolve(containerId);
        try {
            Files.deleteIfExists(dir.resolve("rootfs"));
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized Set<String> rootfsIds() {
        try (var s = Files.list(root)) {
            return s.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized int collectGarbage(Set<String> keep) {
        gcKeeps.add(Set.copyOf(keep));
        log.add("gc keep " + new java.util.TreeSet<>(keep));
        int before = stored.size();
        stored.retainAll(keep);
        return before - stored.size();
    }
}
