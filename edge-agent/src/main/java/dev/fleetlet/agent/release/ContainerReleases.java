package dev.fleetlet.agent.release;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.agent.config.AgentConfig;
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
import dev.fleetlet.agent.network.AppNetworks;
import dev.fleetlet.agent.network.CniAppNetworks;
import dev.fleetlet.agent.network.NetworkConfig;
import dev.fleetlet.agent.release.internal.StoreReleaseImages;
import dev.fleetlet.agent.runtime.CgroupControllers;
import dev.fleetlet.agent.runtime.CgroupLayout;
import dev.fleetlet.agent.runtime.CgroupStatsReader;
import dev.fleetlet.agent.runtime.DeviceInspector;
import dev.fleetlet.agent.runtime.OciSpecGenerator;
import dev.fleetlet.agent.runtime.Runc;
import dev.fleetlet.agent.runtime.RuncContainerRuntime;
import dev.fleetlet.agent.runtime.RuncSupervisor;
import dev.fleetlet.agent.runtime.VolumeStore;
import dev.fleetlet.agent.state.ReleaseRuntime;
import dev.fleetlet.oci.ManifestParser;
import dev.fleetlet.oci.Platform;
import dev.fleetlet.oci.RegistryClient;
import dev.fleetlet.oci.RegistryCredentials;
import dev.fleetlet.oci.RegistryCredentialsProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the agent's {@link ReleaseRuntime}: the {@link ContainerReleaseRuntime} over runc, the image store and
 * (when the CNI plugins are installed) app networks, recovered from its journal; or
 * {@link ReleaseRuntime#unavailable()} with a log line saying why (no runc binary, no cgroup hierarchy,
 * {@code releases.enabled: false}, or a wiring failure).
 *
 * <p>Directories under the agent's data directory: {@code images/} (blobs, layers, image records),
 * {@code containers/} (runc state, bundles, logs, named volumes), {@code rootfs/} (one rootfs per container),
 * {@code network/} (CNI state), {@code releases/} (the release journal).
 */
public final class ContainerReleases {

    private static final Logger log = LoggerFactory.getLogger(ContainerReleases.class);
    private static final List<Path> RUNC = List.of(Path.of("/usr/sbin/runc"), Path.of("/usr/bin/runc"),
            Path.of("/usr/local/sbin/runc"), Path.of("/usr/local/bin/runc"));
    private static final List<Path> CNI = List.of(Path.of("/usr/lib/cni"), Path.of("/opt/cni/bin"));

    private ContainerReleases() {
    }

    /** The runtime for this host with the default {@code containers} settings; never throws. */
    public static ReleaseRuntime open(Path dataDir, Path fsRoot, AgentConfig.Releases config, Clock clock) {
        return open(dataDir, fsRoot, config, AgentConfig.Containers.defaults(), clock);
    }

    /**
     * The runtime for this host, recovered and ready; never throws.
     *
     * @param where      app network subnet and bridge, and the cgroup parent of the containers
     */
    public static ReleaseRuntime open(Path dataDir, Path fsRoot, AgentConfig.Releases config,
                                      AgentConfig.Containers where, Clock clock) {
        if (!config.enabled()) {
            log.info("container releases disabled by configuration (releases.enabled: false): releases will fail");
            return ReleaseRuntime.unavailable();
        }
        Optional<Path> runc = RUNC.stream().filter(Files::isExecutable).findFirst();
        if (runc.isEmpty()) {
            log.warn("no runc binary found in {}: releases cannot run on this device", RUNC);
            return ReleaseRuntime.unavailable();
        }
        try {
            Path mountinfo = fsRoot.resolve("proc/self/mountinfo");
            CgroupLayout layout = CgroupLayout.detect(mountinfo);
            ObjectMapper json = new ObjectMapper();
            Path containers = dataDir.resolve("containers");
            Runc r = new Runc(runc.get().toString(), containers.resolve("runc-state"), Duration.ofSeconds(30), json);
            VolumeStore volumes = new VolumeStore(containers);
            RuncContainerRuntime runtime = new RuncContainerRuntime(r, new OciSpecGenerator(volumes, DeviceInspector.host(),
                    CgroupControllers.read(fsRoot.resolve("proc/cgroups")), where.cgroupParent()), new CgroupStatsReader(layout), containers,
                    json, clock, new RuncContainerRuntime.LogLimits(1024 * 1024, 3), Duration.ofSeconds(30));
            RuncSupervisor supervisor = new RuncSupervisor(runtime, clock, RuncSupervisor.Settings.defaults());

            Path images = dataDir.resolve("images");
            BlobStore blobs = new BlobStore(images, 5);
            ImageRecordStore records = new ImageRecordStore(images, json);
            LayerUnpacker unpacker = new LayerUnpacker(true);
            LayerCache layers = new LayerCache(images, blobs, unpacker);
            ImageStoreLock lock = new ImageStoreLock();
            RegistryClient registry = RegistryClient.create(credentials(config), json,
                    new RegistryClient.Config(Set.copyOf(config.plainHttpRegistries()), Duration.ofSeconds(60),
                            Duration.ofSeconds(2)));
            ImagePuller puller = new ImagePuller(registry, blobs, records, DiskSpaceGuard.forStore(images),
                    new ManifestParser(json), Platform.ofHost(), clock, lock);
            ImageGarbageCollector gc = new ImageGarbageCollector(records, blobs, layers, lock, clock, Duration.ofHours(24));
            RootfsAssembler assembler = new RootfsAssembler(blobs, layers, unpacker,
                    new OverlaySupport(fsRoot.resolve("proc/filesystems"), images));
            StoreReleaseImages store = new StoreReleaseImages(puller, records, blobs, assembler, gc,
                    dataDir.resolve("rootfs"), json);

            AppNetworks networks = null;
            Optional<Path> cni = CNI.stream().filter(d -> Files.isExecutable(d.resolve("bridge"))).findFirst();
            if (cni.isPresent()) {
                NetworkConfig d = NetworkConfig.defaults(dataDir.resolve("network"));
                networks = new CniAppNetworks(new NetworkConfig(d.networkName(), where.networkBridge(),
                        where.networkSubnet(),
                        List.of(cni.get()), d.stateDir(), d.firewall(), d.hostResolvConf(), d.fallbackDns()));
                List<String> released = networks.reconcile();
                log.info("app networks ready plugins={} released={}", cni.get(), released);
            } else {
                log.warn("CNI plugins not found in {}: only services with network_mode host can run", CNI);
            }
            ContainerReleaseRuntime release = new ContainerReleaseRuntime(supervisor, store, networks,
                    dataDir.resolve("releases"), json, settings(config), clock);
            release.recover();
            log.info("container releases ready runc={} cgroups={} current={}", runc.get(), layout.getClass().getSimpleName(),
                    release.current() == null ? null : release.current().id());
            return release;
        } catch (RuntimeException e) {
            log.error("container release runtime cannot start, releases will fail error={}", e.toString(), e);
            return ReleaseRuntime.unavailable();
        }
    }

    /** The release settings of the agent configuration. */
    public static ReleaseSettings settings(AgentConfig.Releases c) {
        return new ReleaseSettings(c.soak(), c.settle(), c.healthMargin(), c.crashRestarts(), c.stopGrace());
    }

    private static RegistryCredentialsProvider credentials(AgentConfig.Releases c) {
        if (c.registryLogins().isEmpty()) {
            return RegistryCredentialsProvider.anonymous();
        }
        Map<String, RegistryCredentials> byHost = new LinkedHashMap<>();
        c.registryLogins().forEach((host, login) -> byHost.put(host, new RegistryCredentials(login.username(), login.password())));
        return RegistryCredentialsProvider.of(byHost);
    }
}
