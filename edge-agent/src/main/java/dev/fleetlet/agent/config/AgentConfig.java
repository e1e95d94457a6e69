package dev.fleetlet.agent.config;

import dev.fleetlet.agent.queue.QueueSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole, validated agent configuration (one YAML file, see {@link AgentConfigLoader} for the keys).
 * Immutable.
 *
 * @param dataDir          where the agent keeps credentials, the telemetry queue, state and the last-known-good config
 * @param provisioningFile the provisioning file an image carries on its boot partition
 * @param fsRoot           the filesystem root under which {@code /proc}, {@code /sys}, {@code /etc} and
 *                         {@code /run} are read ({@code /} on a board; a temp tree in tests)
 * @param server           HTTP settings of the fleet server
 * @param mqtt             MQTT session settings
 * @param telemetry        batching and publishing settings
 * @param queue            store-and-forward queue limits and fsync policy
 * @param hardwareYaml     the {@code hardware} subtree as YAML text, handed unparsed to device-drivers
 *                         ({@code board}, {@code sensors}, {@code actuators}); empty when there is none
 * @param commands         settings of the remote commands (reboot, restart-agent, identify)
 * @param releases         settings of the container release runtime
 * @param containers       where containers run: app network subnet and bridge, cgroup parent
 * @param enrollment       how the device authenticates to the broker (section {@code enrollment})
 */
public record AgentConfig(Path dataDir, Path provisioningFile, Path fsRoot, Server server, Mqtt mqtt,
                          Telemetry telemetry, QueueSettings queue, Optional<String> hardwareYaml,
                          Commands commands, Releases releases, Containers containers, Enrollment enrollment) {

    /** Settings without an {@code enrollment} section: the password credential. */
    public AgentConfig(Path dataDir, Path provisioningFile, Path fsRoot, Server server, Mqtt mqtt,
                       Telemetry telemetry, QueueSettings queue, Optional<String> hardwareYaml,
                       Commands commands, Releases releases, Containers containers) {
        this(dataDir, provisioningFile, fsRoot, server, mqtt, telemetry, queue, hardwareYaml, commands, releases,
                containers, new Enrollment(Credential.PASSWORD));
    }

    /** The device's broker credential ({@code enrollment.credential}). */
    public enum Credential {
        /** The default: a random secret generated on the device, sent once at enrollment, used as MQTT password. */
        PASSWORD,
        /**
         * Opt-in: an EC P-256 key generated on the device (never leaves it) and a client certificate from the
         * fleet CA, presented in the TLS handshake of an {@code ssl://} broker connection.
         */
        CERTIFICATE
    }

    /** @param credential {@code enrollment.credential}: {@code password} (default) or {@code certificate} */
    public record Enrollment(Credential credential) {
        public Enrollment {
            Objects.requireNonNull(credential, "credential");
        }
    }

    public AgentConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(provisioningFile, "provisioningFile");
        Objects.requireNonNull(fsRoot, "fsRoot");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(mqtt, "mqtt");
        Objects.requireNonNull(telemetry, "telemetry");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(hardwareYaml, "hardwareYaml");
        Objects.requireNonNull(commands, "commands");
        Objects.requireNonNull(releases, "releases");
        Objects.requireNonNull(containers, "containers");
        Objects.requireNonNull(enrollment, "enrollment");
    }

    /**
     * Where the release runtime's containers run (section {@code containers}); validated by the loader, so the
     * values are usable as they are.
     *
     * @param networkSubnet {@code containers.network.subnet}: IPv4 subnet the app networks get addresses from, the
     *                      first one being the bridge (default {@code 10.213.0.0/16}); change it when it collides
     *                      with a LAN the board is on
     * @param networkBridge {@code containers.network.bridge}: the host bridge interface of the app networks
     *                      (default {@code fleetlet0})
     * @param cgroupParent  {@code containers.cgroupParent}: the cgroup every container's cgroup is created under
     *                      (default {@code /fleetlet}, outside the agent's own service cgroup so containers survive
     *                      agent restarts)
     */
    public record Containers(String networkSubnet, String networkBridge, String cgroupParent) {
        public Containers {
            Objects.requireNonNull(networkSubnet, "networkSubnet");
            Objects.requireNonNull(networkBridge, "networkBridge");
            Objects.requireNonNull(cgroupParent, "cgroupParent");
        }

        /** The defaults used when the configuration has no {@code containers} section. */
        public static Containers defaults() {
            return new Containers("10.213.0.0/16", "fleetlet0", "/fleetlet");
        }
    }

    /**
     * Settings of the container release runtime (section {@code releases}).
     *
     * @param enabled             run releases as containers when runc and cgroups are present (default true)
     * @param soak                how long the previous release's images are kept after an update (default 10 min)
     * @param settle              how long a service without a health check must keep running to count as started (default 5 s)
     * @param healthMargin        added to a health check's own budget before a service counts as failed (default 10 s)
     * @param crashRestarts       restarts of one service while a release starts that count as a crash loop (default 3)
     * @param stopGrace           SIGTERM-to-SIGKILL grace when the app spec gives none (default 10 s)
     * @param plainHttpRegistries registry hosts ({@code host:port}) reached over plain HTTP (default none)
     * @param registryLogins      basic-auth / token credentials by registry host (default none)
     */
    public record Releases(boolean enabled, Duration soak, Duration settle, Duration healthMargin, int crashRestarts,
                           Duration stopGrace, java.util.List<String> plainHttpRegistries,
                           java.util.Map<String, RegistryLogin> registryLogins) {
        public Releases {
            plainHttpRegistries = java.util.List.copyOf(plainHttpRegistries);
            registryLogins = java.util.Map.copyOf(registryLogins);
        }

        /** The defaults used when the configuration has no {@code releases} section. */
        public static Releases defaults() {
            return new Releases(true, Duration.ofMinutes(10), Duration.ofSeconds(5), Duration.ofSeconds(10), 3,
                    Duration.ofSeconds(10), java.util.List.of(), java.util.Map.of());
        }
    }

    /** A registry login; {@link #toString()} never shows the password. */
    public record RegistryLogin(String username, String password) {
        @Override
        public String toString() {
            return "RegistryLogin[username=" + username + ", password=***]";
        }
    }

    /**
     * @param rebootCommand   what the {@code reboot} command runs, split on spaces (default {@code systemctl reboot})
     * @param restartExitCode the exit code of {@code restart-agent}; the service manager restarts the agent
     *                        (default 75)
     * @param identifyLed     the actuator (from {@code hardware.actuators}) that {@code identify} blinks, unless
     *                        the desired state's config value {@code identify.led} names another; empty: none
     */
    public record Commands(java.util.List<String> rebootCommand, int restartExitCode, Optional<String> identifyLed) {
        public Commands {
            rebootCommand = java.util.List.copyOf(rebootCommand);
            Objects.requireNonNull(identifyLed, "identifyLed");
        }

        /** The defaults used when the configuration has no {@code commands} section. */
        public static Commands defaults() {
            return new Commands(java.util.List.of("systemctl", "reboot"), 75, Optional.empty());
        }
    }

    /**
     * @param url            overrides the provisioning file's server URL when present
     * @param requestTimeout timeout of one HTTP request (default 15 s)
     * @param retryMaxDelay  cap of the enrollment retry back-off (default 5 min)
     */
    public record Server(Optional<URI> url, Duration requestTimeout, Duration retryMaxDelay) {
    }

    /**
     * @param uri              overrides the broker URI the server gave at enrollment when present
     * @param keepAlive        MQTT keep-alive (default 60 s, per docs/protocol.md)
     * @param sessionExpiry    MQTT v5 session expiry interval; the broker keeps the session (and queued
     *                         QoS 1 commands) this long after a disconnect (default 7 days, per docs/protocol.md)
     * @param reconnectInitial first reconnect back-off step (default 1 s)
     * @param reconnectMax     back-off cap (default 5 min)
     * @param stableAfter      a connection that lasted this long resets the back-off (default 60 s)
     */
    public record Mqtt(Optional<URI> uri, Duration keepAlive, Duration sessionExpiry, Duration reconnectInitial,
                       Duration reconnectMax, Duration stableAfter) {
    }

    /**
     * @param batchSize     a batch is closed at this many readings (default 100, at most 500)
     * @param batchInterval ... or this long after its first reading (default 10 s)
     * @param inFlight      QoS 1 batches published and not yet acknowledged, at most (default 10)
     */
    public record Telemetry(int batchSize, Duration batchInterval, int inFlight) {
    }
}
