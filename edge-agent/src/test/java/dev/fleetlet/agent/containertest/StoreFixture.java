package dev.fleetlet.agent.containertest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.agent.image.BlobStore;
import dev.fleetlet.agent.image.DiskSpaceGuard;
import dev.fleetlet.agent.image.ImageGarbageCollector;
import dev.fleetlet.agent.image.ImagePuller;
import dev.fleetlet.agent.image.ImageRecordStore;
import dev.fleetlet.agent.image.ImageStoreLock;
import dev.fleetlet.agent.image.LayerCache;
import dev.fleetlet.agent.image.LayerUnpacker;
import dev.fleetlet.agent.image.OverlaySupport;
import dev.fleetlet.agent.image.RootfsAssembler;
import dev.fleetlet.oci.ManifestParser;
import dev.fleetlet.oci.Platform;
import dev.fleetlet.oci.RegistryClient;
import dev.fleetlet.oci.RegistryCredentialsProvider;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/** Wires the image store the way the agent does, on a temp directory. */
public final class StoreFixture {
    public final ObjectMapper json = new ObjectMapper();
    public final Path root;
    public final BlobStore blobs;
    public final ImageRecordStore records;
    public final LayerUnpacker unpacker = new LayerUnpacker(true);
    public final LayerCache layers;
    public final RegistryClient registry;
    public final ImagePuller puller;
    public final ImageGarbageCollector gc;
    public final RootfsAssembler rootfs;
    public final ImageStoreLock lock = new ImageStoreLock();

    public StoreFixture(Path root, Platform board, RegistryCredentialsProvider creds, Set<String> plainHosts, DiskSpaceGuard guard) {
        this.root = root;
        this.blobs = new BlobStore(root, 3);
        this.records = new ImageRecordStore(root, json);
        this.layers = new LayerCache(root, blobs, unpacker);
        this.registry = RegistryClient.create(creds, json, new RegistryClient.Config(plainHosts, Duration.ofSeconds(30), Duration.ofSeconds(1)));
        this.puller = new ImagePuller(registry, blobs, records, guard == null ? DiskSpaceGuard.forStore(root) : guard,
                new ManifestParser(json), board, Clock.systemUTC(), lock);
        this.gc = new ImageGarbageCollector(records, blobs, layers, lock, Clock.systemUTC(), Duration.ofHours(24));
        this.rootfs = new RootfsAssembler(blobs, layers, unpacker, new OverlaySupport(Path.of("/proc/filesystems"), root));
    }

    public StoreFixture(Path root, String... plainHosts) {
        this(root, Platform.parse("linux/amd64"), RegistryCredentialsProvider.anonymous(), Set.of(plainHosts), null);
    }
}
