package dev.fleetlet.agent.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.fleetlet.agent.config.internal.NodeReader;
import dev.fleetlet.agent.fs.AtomicFiles;
import dev.fleetlet.agent.network.NetworkConfig;
import dev.fleetlet.agent.queue.QueueSettings;
import dev.fleetlet.agent.runtime.OciSpecGenerator;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and validates the agent's YAML configuration, and keeps a last-known-good copy.
 *
 * <pre>
 * agent:
 *   dataDir: /var/lib/fleetlet                                 # default
 *   provisioningFile: /boot/firmware/fleetlet-provisioning.json  # default
 *   fsRoot: /                                                  # default
 * server:   { url: https://fleet.example:8443, requestTimeout: 15s, retryMaxDelay: 5m }
 * mqtt:     { uri: ssl://fleet.example:8883, keepAlive: 60s, sessionExpiry: 7d,
 *             reconnectInitial: 1s, reconnectMax: 5m, stableAfter: 60s }
 * telemetry: { batchSize: 100, batchInterval: 10s, inFlight: 10 }
 * queue:    { maxBytes: 64MiB, segmentBytes: 1MiB, fsyncEveryRecords: 16, fsyncInterval: 30s,
 *             cursorSyncEveryAcks: 32, cursorSyncInterval: 60s }
 * hardware: { board: ..., sensors: [...], actuators: [...] }     # passed to device-drivers as is
 * commands: { rebootCommand: "systemctl reboot", restartExitCode: 75, identifyLed: status-led }
 * releases: { enabled: true, soak: 10m, settle: 5s, healthMargin: 10s, crashRestarts: 3, stopGrace: 10s,
 *             plainHttpRegistries: ["registry.lan:5000"],
 *             registries: { "ghcr.io": { username: bot, password: "..." } } }
 * containers: { network: { subnet: 10.213.0.0/16, bridge: fleetlet0 }, cgroupParent: /fleetlet }
 * enrollment: { credential: password }   # or certificate: EC key + client certificate from the fleet CA (ssl:// only)
 * </pre>
 *
 * Every key is optional. Unknown keys, wrong types and out-of-range values are errors naming the key.
 * After a successful {@link #load}, the file is copied to {@code <dataDir>/config/agent.last-good.yaml};
 * {@link #loadOrLastGood} falls back to that copy when the file became invalid.
 */
public final class AgentConfigLoader {

    /** The data directory used when the configuration does not name one. */
    public static final Path DEFAULT_DATA_DIR = Path.of("/var/lib/fleetlet");

    private static final Logger log = LoggerFactory.getLogger(AgentConfigLoader.class);

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    /** What {@link #loadOrLastGood} returned and why. */
    public record Loaded(AgentConfig config, boolean fromLastGood, List<String> problemsOfCurrentFile) {
    }

    /** Parses configuration text; throws {@link AgentConfigException} listing every problem. */
    public AgentConfig parse(String text) {
        JsonNode root;
        try {
            root = text.isBlank() ? yaml.createObjectNode() : yaml.readTree(text);
        } catch (JsonProcessingException e) {
            throw new AgentConfigException("agent configuration", List.of("(file): not valid YAML: "
                    + e.getOriginalMessage() + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr())));
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            root = yaml.createObjectNode();
        }
        NodeReader r = NodeReader.root(root);
        if (!root.isObject()) {
            r.problem("(file)", "expected a mapping with keys agent, server, mqtt, telemetry, queue, hardware, commands");
            throw new AgentConfigException("agent configuration", r.problems());
        }
        r.allowOnly(Set.of("agent", "server", "mqtt", "telemetry", "queue", "hardware", "commands", "releases",
                "containers", "enrollment"));

        NodeReader agent = r.child("agent");
        agent.allowOnly(Set.of("dataDir", "provisioningFile", "fsRoot"));
        Path dataDir = agent.path("dataDir", DEFAULT_DATA_DIR);
        Path provisioning = agent.path("provisioningFile", Path.of("/boot/firmware/fleetlet-provisioning.json"));
        Path fsRoot = agent.path("fsRoot", Path.of("/"));

        NodeReader s = r.child("server");
        s.allowOnly(Set.of("url", "requestTimeout", "retryMaxDelay"));
        AgentConfig.Server server = new AgentConfig.Server(uri(s, "url", Set.of("http", "https")),
                s.duration("requestTimeout", Duration.ofSeconds(15), Duration.ofSeconds(1), Duration.ofMinutes(5)),
                s.duration("retryMaxDelay", Duration.ofMinutes(5), Duration.ofSeconds(1), Duration.ofHours(24)));

        NodeReader m = r.child("mqtt");
        m.allowOnly(Set.of("uri", "keepAlive", "sessionExpiry", "reconnectInitial", "reconnectMax", "stableAfter"));
        AgentConfig.Mqtt mqtt = new AgentConfig.Mqtt(uri(m, "uri", Set.of("tcp", "ssl")),
                m.duration("keepAlive", Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofMinutes(30)),
                m.duration("sessionExpiry", Duration.ofDays(7), Duration.ZERO, Duration.ofDays(49)),
                m.duration("reconnectInitial", Duration.ofSeconds(1), Duration.ofMillis(10), Duration.ofMinutes(10)),
                m.duration("reconnectMax", Duration.ofMinutes(5), Duration.ofMillis(10), Duration.ofHours(24)),
                m.duration("stableAfter", Duration.ofSeconds(60), Duration.ZERO, Duration.ofHours(24)));
        if (mqtt.reconnectMax().compareTo(mqtt.reconnectInitial()) < 0) {
            m.problem("reconnectMax", "expected at least reconnectInitial (" + mqtt.reconnectInitial() + "), got "
                    + mqtt.reconnectMax());
        }

        NodeReader t = r.child("telemetry");
        t.allowOnly(Set.of("batchSize", "batchInterval", "inFlight"));
        AgentConfig.Telemetry telemetry = new AgentConfig.Telemetry(t.integer("batchSize", 100, 1, 500),
                t.duration("batchInterval", Duration.ofSeconds(10), Duration.ofMillis(10), Duration.ofHours(1)),
                t.integer("inFlight", 10, 1, 100));

        NodeReader q = r.child("queue");
        q.allowOnly(Set.of("maxBytes", "segmentBytes", "fsyncEveryRecords", "fsyncInterval", "cursorSyncEveryAcks",
                "cursorSyncInterval"));
        QueueSettings d = QueueSettings.defaults();
        long segmentBytes = q.size("segmentBytes", d.segmentBytes(), 4096, 256L * 1024 * 1024);
        long maxBytes = q.size("maxBytes", d.maxBytes(), 8192, 64L * 1024 * 1024 * 1024);
        if (maxBytes < 2 * segmentBytes) {
            q.problem("maxBytes", "expected at least twice segmentBytes (" + 2 * segmentBytes + "), got " + maxBytes);
            maxBytes = 2 * segmentBytes;
        }
        QueueSettings queue = new QueueSettings(maxBytes, segmentBytes,
                q.integer("fsyncEveryRecords", d.fsyncEveryRecords(), 1, 1_000_000),
                q.duration("fsyncInterval", d.fsyncInterval(), Duration.ZERO, Duration.ofHours(1)),
                q.integer("cursorSyncEveryAcks", d.cursorSyncEveryAcks(), 1, 1_000_000),
                q.duration("cursorSyncInterval", d.cursorSyncInterval(), Duration.ZERO, Duration.ofHours(1)));

        JsonNode hardwareNode = r.raw("hardware");
        Optional<String> hardware = Optional.empty();
        if (hardwareNode != null) {
            if (!hardwareNode.isObject()) {
                r.problem("hardware", "expected a mapping with board, sensors and actuators");
            } else {
                try {
                    hardware = Optional.of(yaml.writeValueAsString(hardwareNode));
                } catch (JsonProcessingException e) {
                    r.problem("hardware", "cannot be re-serialised: " + e.getOriginalMessage());
                }
            }
        }
        NodeReader c = r.child("commands");
        c.allowOnly(Set.of("rebootCommand", "restartExitCode", "identifyLed"));
        AgentConfig.Commands defaults = AgentConfig.Commands.defaults();
        String reboot = c.string("rebootCommand", String.join(" ", defaults.rebootCommand())).strip();
        AgentConfig.Commands commands = new AgentConfig.Commands(List.of(reboot.split("\\s+")),
                c.integer("restartExitCode", defaults.restartExitCode(), 1, 255),
                Optional.ofNullable(c.string("identifyLed", null)));
        AgentConfig.Releases releases = releases(r);
        AgentConfig.Containers containers = containers(r);
        NodeReader e = r.child("enrollment");
        e.allowOnly(Set.of("credential"));
        String credential = e.string("credential", "password");
        AgentConfig.Credential cred = AgentConfig.Credential.PASSWORD;
        if ("certificate".equals(credential)) {
            cred = AgentConfig.Credential.CERTIFICATE;
        } else if (!"password".equals(credential)) {
            e.problem("credential", "must be password or certificate, was '" + credential + "'");
        }
        if (!r.problems().isEmpty()) {
            throw new AgentConfigException("agent configuration", r.problems());
        }
        return new AgentConfig(dataDir, provisioning, fsRoot, server, mqtt, telemetry, queue, hardware, commands,
                releases, containers, new AgentConfig.Enrollment(cred));
    }

    /**
     * Reads and validates {@code file}; on success stores it as the last-known-good copy.
     *
     * @throws AgentConfigException naming every problem, or that the file cannot be read
     */
    public AgentConfig load(Path file) {
        String text = read(file);
        AgentConfig config = parse(text);
        saveLastGood(config, text);
        return config;
    }

    /**
     * Like {@link #load}, but when the file is invalid or unreadable and a last-known-good copy exists,
     * returns that copy (and the problems of the current file, to be logged and reported).
     *
     * @throws AgentConfigException when the file is invalid and there is no usable last-known-good copy
     */
    public Loaded loadOrLastGood(Path file) {
        try {
            return new Loaded(load(file), false, List.of());
        } catch (AgentConfigException current) {
            Path lastGood = lastGoodPath(guessDataDir(file));
            if (!Files.isRegularFile(lastGood)) {
                throw current;
            }
            AgentConfig fallback = parse(read(lastGood));
            log.error("agent configuration invalid, running on the last-known-good copy file={} lastGood={} problems={}",
                    file, lastGood, current.problems());
            return new Loaded(fallback, true, current.problems());
        }
    }

    /** Where the last-known-good copy lives for a data directory. */
    public static Path lastGoodPath(Path dataDir) {
        return dataDir.resolve("config").resolve("agent.last-good.yaml");
    }

    private void saveLastGood(AgentConfig config, String text) {
        Path target = lastGoodPath(config.dataDir());
        try {
            if (Files.isRegularFile(target) && Files.readString(target, StandardCharsets.UTF_8).equals(text)) {
                return;
            }
            AtomicFiles.write(target, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            log.warn("cannot store last-known-good configuration path={} error={}", target, e.toString());
        }
    }

    /** The dataDir named by a possibly invalid file, when it can still be read; else the default. */
    private Path guessDataDir(Path file) {
        try {
            JsonNode dir = yaml.readTree(Files.readString(file, StandardCharsets.UTF_8)).path("agent").path("dataDir");
            if (dir.isTextual() && dir.asText().startsWith("/")) {
                return Path.of(dir.asText());
            }
        } catch (IOException | RuntimeException e) {
            // unreadable or not YAML: the default data directory is the only guess left
        }
        return DEFAULT_DATA_DIR;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AgentConfigException("agent configuration", List.of("(file): cannot read " + file + ": " + e));
        }
    }

    private static AgentConfig.Containers containers(NodeReader r) {
        NodeReader c = r.child("containers");
        c.allowOnly(Set.of("network", "cgroupParent"));
        NodeReader net = c.child("network");
        net.allowOnly(Set.of("subnet", "bridge"));
        AgentConfig.Containers d = AgentConfig.Containers.defaults();
        String subnet = net.string("subnet", d.networkSubnet());
        NetworkConfig.subnetProblem(subnet).ifPresent(p -> net.problem("subnet", p));
        String bridge = net.string("bridge", d.networkBridge());
        NetworkConfig.bridgeProblem(bridge).ifPresent(p -> net.problem("bridge", p));
        String parent = c.string("cgroupParent", d.cgroupParent());
        OciSpecGenerator.cgroupParentProblem(parent).ifPresent(p -> c.problem("cgroupParent", p));
        return new AgentConfig.Containers(subnet, bridge, parent);
    }

    private static AgentConfig.Releases releases(NodeReader r) {
        NodeReader rel = r.child("releases");
        rel.allowOnly(Set.of("enabled", "soak", "settle", "healthMargin", "crashRestarts", "stopGrace",
                "plainHttpRegistries", "registries"));
        AgentConfig.Releases d = AgentConfig.Releases.defaults();
        boolean enabled = true;
        JsonNode en = rel.raw("enabled");
        if (en != null) {
            if (en.isBoolean()) {
                enabled = en.booleanValue();
            } else {
                rel.problem("enabled", "expected true or false, got " + en);
            }
        }
        List<String> plain = new java.util.ArrayList<>();
        JsonNode hosts = rel.raw("plainHttpRegistries");
        if (hosts != null) {
            if (!hosts.isArray()) {
                rel.problem("plainHttpRegistries", "expected a list of registry hosts (host:port)");
            } else {
                for (JsonNode h : hosts) {
                    if (!h.isTextual() || !h.asText().matches("[A-Za-z0-9.-]+(:\\d{1,5})?")) {
                        rel.problem("plainHttpRegistries", "expected host or host:port, got " + h);
                    } else {
                        plain.add(h.asText());
                    }
                }
            }
        }
        java.util.Map<String, AgentConfig.RegistryLogin> logins = new java.util.LinkedHashMap<>();
        JsonNode regs = rel.raw("registries");
        if (regs != null) {
            if (!regs.isObject()) {
                rel.problem("registries", "expected a mapping of registry host to {username, password}");
            } else {
                regs.fields().forEachRemaining(e -> {
                    JsonNode u = e.getValue().path("username");
                    JsonNode p = e.getValue().path("password");
                    if (!e.getValue().isObject() || !u.isTextual() || u.asText().isEmpty() || !p.isTextual()
                            || e.getValue().size() != 2) {
                        rel.problem("registries." + e.getKey(), "expected exactly username and password (strings)");
                    } else {
                        logins.put(e.getKey(), new AgentConfig.RegistryLogin(u.asText(), p.asText()));
                    }
                });
            }
        }
        return new AgentConfig.Releases(enabled,
                rel.duration("soak", d.soak(), Duration.ZERO, Duration.ofDays(30)),
                rel.duration("settle", d.settle(), Duration.ZERO, Duration.ofMinutes(10)),
                rel.duration("healthMargin", d.healthMargin(), Duration.ZERO, Duration.ofHours(1)),
                rel.integer("crashRestarts", d.crashRestarts(), 1, 100),
                rel.duration("stopGrace", d.stopGrace(), Duration.ZERO, Duration.ofMinutes(10)),
                plain, logins);
    }

    private static Optional<URI> uri(NodeReader r, String key, Set<String> schemes) {
        String text = r.string(key, null);
        if (text == null) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(text);
            if (uri.getScheme() == null || !schemes.contains(uri.getScheme()) || uri.getHost() == null) {
                r.problem(key, "expected an absolute URI with scheme " + schemes.stream().sorted().toList()
                        + " and a host, got '" + text + "'");
                return Optional.empty();
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            r.problem(key, "expected a URI, got '" + text + "' (" + e.getReason() + ")");
            return Optional.empty();
        }
    }
}
