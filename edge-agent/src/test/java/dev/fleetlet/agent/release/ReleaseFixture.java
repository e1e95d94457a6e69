package dev.fleetlet.agent.release;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.agent.containertest.RuncFixture;
import dev.fleetlet.agent.containertest.StoreFixture;
import dev.fleetlet.agent.release.internal.StoreReleaseImages;
import dev.fleetlet.agent.runtime.RuncSupervisor;
import dev.fleetlet.oci.Platform;
import dev.fleetlet.oci.RegistryCredentialsProvider;
import dev.fleetlet.protocol.message.Release;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * The release runtime wired as the agent wires it (real runc, real image store, {@link RuncSupervisor}) on one
 * root directory. A second fixture on the same root is what a restarted agent sees.
 */
final class ReleaseFixture {

    static final RuncSupervisor.Settings SUPERVISOR = new RuncSupervisor.Settings(Duration.ofMillis(50),
            Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(2));
    static final ReleaseSettings SETTINGS = new ReleaseSettings(Duration.ofMinutes(10), Duration.ofMillis(800),
            Duration.ofSeconds(10), 3, Duration.ofSeconds(3));

    final Path root;
    final RuncFixture runc;
    final StoreFixture store;
    final RuncSupervisor supervisor;
    final StoreReleaseImages images;
    final ContainerReleaseRuntime runtime;

    ReleaseFixture(Path root, RegistryCredentialsProvider creds, Set<String> plainHosts, ReleaseSettings settings) {
        this(root, creds, plainHosts, settings, null);
    }

    ReleaseFixture(Path root, RegistryCredentialsProvider creds, Set<String> plainHosts, ReleaseSettings settings,
                   dev.fleetlet.agent.network.AppNetworks networks) {
        this.root = root;
        this.runc = new RuncFixture(root.resolve("agent"));
        this.store = new StoreFixture(root.resolve("store"), Platform.parse("linux/amd64"), creds, plainHosts, null);
        this.supervisor = new RuncSupervisor(runc.runtime, Clock.systemUTC(), SUPERVISOR);
        this.images = new StoreReleaseImages(store.puller, store.records, store.blobs, store.rootfs, store.gc,
                root.resolve("containers"), new ObjectMapper());
        this.runtime = new ContainerReleaseRuntime(supervisor, images, networks, root.resolve("release"), new ObjectMapper(),
                settings, Clock.systemUTC());
    }

    /** What the agent does at shutdown: supervision stops, containers keep running. */
    void closeAgent() {
        supervisor.close();
    }

    /** Removes every container and rootfs this root has, even after failures. */
    void cleanUp() {
        supervisor.close();
        runc.cleanUp();
        for (String id : images.rootfsIds()) {
            try {
                images.releaseRootfs(id);
            } catch (RuntimeException e) {
                System.err.println("rootfs cleanup of " + id + " failed: " + e.getMessage());
            }
        }
    }

    /**
     * A two-service host-network app: {@code main} appends "{@code <label> up}" to the {@code data} volume and is
     * healthy once it did (probe every 200 ms); {@code side} starts once main is healthy.
     *
     * @param healthTest the probe of main, e.g. {@code test -f /data/seen} (or {@code false} to fail it)
     */
    static Release app(String id, String image, String label, String strategy, String healthTest) {
        return app(id, image, label, strategy, healthTest, true);
    }

    /** {@link #app(String, String, String, String, String)} in the app's own network when {@code host} is false. */
    static Release app(String id, String image, String label, String strategy, String healthTest, boolean host) {
        String loop = "trap 'exit 0' TERM; while :; do sleep 0.1; done";
        String json = """
                {"services": {
                   "main": {"image": "%1$s", %6$s"restart": "always",
                            "environment": {"LABEL": "%2$s"},
                            "command": ["sh", "-c", "echo \\"$LABEL up\\" >> /data/seen; %5$s"],
                            "volumes": ["data:/data"],
                            "healthcheck": {"test": ["CMD-SHELL", "%4$s"], "interval": "200ms", "timeout": "2s",
                                            "retries": 3}},
                   "side": {"image": "%1$s", %6$s"restart": "always",
                            "command": ["sh", "-c", "%5$s"],
                            "depends_on": {"main": {"condition": "service_healthy"}}}},
                 "volumes": {"data": {}},
                 "x-fleetlet": {"update_strategy": "%3$s"}}
                """.formatted(image, label, strategy, healthTest, loop, host ? "\"network_mode\": \"host\", " : "");
        try {
            return new Release(id, "demo", label, new ObjectMapper().readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
