package dev.fleetlet.agent.release;

import dev.fleetlet.agent.image.ImageConfig;
import java.nio.file.Path;
import java.util.Set;

/**
 * The image side of a release: pull images into the agent's store, assemble one rootfs per container and
 * give it back, collect images no release needs. The production implementation wires the
 * {@code dev.fleetlet.agent.image} store ({@code StoreReleaseImages}); unit tests use a fake.
 *
 * <p>Failures are {@link dev.fleetlet.oci.ImageException}s (not found, unauthorized, digest mismatch,
 * disk space, ...) whose message is fit for a reported reason.
 */
public interface ReleaseImages {

    /** A pulled (or already stored) image: its reference, process defaults and what the pull transferred. */
    record Pulled(String reference, ImageConfig config, long bytesTransferred) {
    }

    /** Pulls {@code reference} (a no-op transfer when every blob is stored) and returns its config. */
    Pulled pull(String reference);

    /**
     * Like {@link #pull(String)}, reporting bytes received while downloading (throttled by the image store to one
     * report per couple of seconds). The default ignores {@code progress}.
     */
    default Pulled pull(String reference, dev.fleetlet.agent.image.PullProgress progress) {
        return pull(reference);
    }

    /** The stored image's config without any network access; empty when the image is not in the store. */
    java.util.Optional<ImageConfig> stored(String reference);

    /**
     * The rootfs of container {@code containerId} made from {@code reference}: reused when it is assembled and
     * still mounted (a container that outlived the agent runs on it), otherwise (re)assembled.
     */
    Path rootfs(String containerId, String reference);

    /** Unmounts and deletes the rootfs of {@code containerId}; nothing when there is none. */
    void releaseRootfs(String containerId);

    /** Ids of containers that have a rootfs directory. */
    Set<String> rootfsIds();

    /** Deletes stored images whose reference is not in {@code keep}; returns how many images were removed. */
    int collectGarbage(Set<String> keep);
}
