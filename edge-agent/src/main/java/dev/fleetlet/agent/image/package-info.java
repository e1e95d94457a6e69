/**
 * The agent's image store: the device-side half of image handling. Talking to a registry
 * (references, Basic/Bearer auth, manifests and indexes, platform selection, digests) lives in the
 * shared {@code oci} module, package {@code dev.fleetlet.oci}, meant for the fleet server as well.
 *
 * <p>Data flow of a pull: {@link dev.fleetlet.agent.image.ImagePuller} asks the
 * {@code dev.fleetlet.oci.RegistryClient} for the manifest (answering Basic or Bearer challenges
 * with per-host credentials), resolves a multi-arch index to the board's
 * {@code dev.fleetlet.oci.Platform}, checks free space with the
 * {@link dev.fleetlet.agent.image.DiskSpaceGuard}, then streams every missing blob into the
 * content-addressed {@link dev.fleetlet.agent.image.BlobStore}, which hashes while writing, resumes
 * with HTTP Range after a dropped connection and renames a blob into place only when digest and
 * size match. The {@link dev.fleetlet.agent.image.ImageRecord} (reference, manifest, config,
 * layers) is written last.
 *
 * <p>Running an image: {@link dev.fleetlet.agent.image.RootfsAssembler} mounts the layers
 * (unpacked once each by the {@link dev.fleetlet.agent.image.LayerCache}) as overlayfs lower
 * directories, or unpacks them in order into one directory when overlayfs is unavailable.
 * {@link dev.fleetlet.agent.image.LayerUnpacker} enforces whiteouts, opaque directories and path
 * safety. {@link dev.fleetlet.agent.image.ImageGarbageCollector} removes images no release names
 * and the blobs and unpacked layers nothing uses any more.
 */
package dev.fleetlet.agent.image;
