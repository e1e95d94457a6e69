package dev.fleetlet.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigLoaderTest {

    private final AgentConfigLoader loader = new AgentConfigLoader();

    @TempDir
    Path tmp;

    @Test
    void appliesDefaultsToAnEmptyFile() {
        AgentConfig config = loader.parse("");

        assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/fleetlet"));
        assertThat(config.telemetry().batchSize()).isEqualTo(100);
        assertThat(config.telemetry().batchInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.mqtt().sessionExpiry()).isEqualTo(Duration.ofDays(7));
        assertThat(config.queue().maxBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(config.hardwareYaml()).isEmpty();
    }

    @Test
    void readsEverySectionAndKeepsTheHardwareSubtreeAsYaml() {
        AgentConfig config = loader.parse("""
                agent: { dataDir: /data/fleetlet }
                server: { url: "https://fleet.example:8443" }
                mqtt: { uri: "ssl://fleet.example:8883", reconnectMax: 2m }
                telemetry: { batchSize: 20, batchInterval: 500ms }
                queue: { maxBytes: 8MiB, segmentBytes: 512KiB, fsyncEveryRecords: 1 }
                hardware:
                  board: { type: simulated }
                  sensors:
                    - { type: bme280, name: greenhouse }
                """);

        assertThat(config.dataDir()).isEqualTo(Path.of("/data/fleetlet"));
        assertThat(config.server().url()).hasValueSatisfying(u -> assertThat(u.getPort()).isEqualTo(8443));
        assertThat(config.mqtt().reconnectMax()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.telemetry().batchInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.queue().segmentBytes()).isEqualTo(512 * 1024);
        assertThat(config.queue().fsyncEveryRecords()).isEqualTo(1);
        assertThat(config.hardwareYaml()).hasValueSatisfying(y -> assertThat(y).contains("greenhouse", "simulated"));
    }

    @Test
    void namesEveryBadKeyWithWhatWasExpected() {
        assertThatThrownBy(() -> loader.parse("""
                agent: { dataDir: relative/dir }
                telemetry: { batchSize: 0, batchInterval: soon }
                mqtt: { uri: "http://broker" }
                queue: { maxBytes: 4096 }
                colour: blue
                """))
                .isInstanceOfSatisfying(AgentConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "colour: unknown key, expected one of [agent, commands, containers, enrollment, hardware, mqtt, queue, releases, server, telemetry]",
                        "agent.dataDir: expected an absolute path, got 'relative/dir'",
                        "telemetry.batchSize: expected an integer from 1 to 500, got number 0",
                        "telemetry.batchInterval: expected a duration from PT0.01S to PT1H written like 500ms, 10s, 5m, 1h or 1d, got 'soon'",
                        "mqtt.uri: expected an absolute URI with scheme [ssl, tcp] and a host, got 'http://broker'",
                        "queue.maxBytes: expected a size from 8192 to 68719476736 bytes, written like 4096, 512KiB or 64MiB, got number 4096"));
    }

    @Test
    void reportsInvalidYamlWithItsLine() {
        assertThatThrownBy(() -> loader.parse("agent:\n  dataDir: [unclosed\n"))
                .isInstanceOf(AgentConfigException.class)
                .hasMessageContaining("(file): not valid YAML");
    }

    @Test
    void fallsBackToTheLastKnownGoodCopyWhenTheFileBecomesInvalid() throws IOException {
        Path file = tmp.resolve("agent.yaml");
        String good = "agent: { dataDir: " + tmp.resolve("data") + " }\ntelemetry: { batchSize: 7 }\n";
        Files.writeString(file, good);
        loader.load(file);
        assertThat(AgentConfigLoader.lastGoodPath(tmp.resolve("data"))).hasContent(good);

        Files.writeString(file, "agent: { dataDir: " + tmp.resolve("data") + " }\ntelemetry: { batchSize: 9000 }\n");
        AgentConfigLoader.Loaded loaded = loader.loadOrLastGood(file);

        assertThat(loaded.fromLastGood()).isTrue();
        assertThat(loaded.config().telemetry().batchSize()).isEqualTo(7);
        assertThat(loaded.problemsOfCurrentFile()).singleElement().asString().startsWith("telemetry.batchSize:");
    }

    @Test
    void failsWithTheProblemsWhenThereIsNoLastKnownGoodCopy() throws IOException {
        Path file = tmp.resolve("agent.yaml");
        Files.writeString(file, "agent: { dataDir: " + tmp.resolve("empty") + " }\nqueue: { segmentBytes: 1 }\n");

        assertThatThrownBy(() -> loader.loadOrLastGood(file))
                .isInstanceOf(AgentConfigException.class)
                .hasMessageContaining("queue.segmentBytes");
    }

    @Test
    void readsTheReleasesSectionWithDefaultsAndNamesBadKeys() {
        AgentConfig defaults = loader.parse("");
        AgentConfig config = loader.parse("""
                releases:
                  soak: 2m
                  settle: 1s
                  crashRestarts: 5
                  plainHttpRegistries: ["registry.lan:5000"]
                  registries: { "ghcr.io": { username: bot, password: "s3cret" } }
                """);

        assertThat(defaults.releases()).isEqualTo(AgentConfig.Releases.defaults());
        assertThat(config.releases().soak()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.releases().settle()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.releases().crashRestarts()).isEqualTo(5);
        assertThat(config.releases().plainHttpRegistries()).containsExactly("registry.lan:5000");
        assertThat(config.releases().registryLogins().get("ghcr.io").username()).isEqualTo("bot");
        assertThat(config.releases().registryLogins().toString()).doesNotContain("s3cret");
        assertThatThrownBy(() -> loader.parse("""
                releases: { soak: forever, crashRestarts: 0, enabled: maybe, registries: { "ghcr.io": { username: bot } },
                            plainHttpRegistries: ["http://x"], colour: blue }
                """))
                .isInstanceOfSatisfying(AgentConfigException.class, e -> assertThat(e.problems()).hasSize(6)
                        .anyMatch(p -> p.startsWith("releases.soak:"))
                        .anyMatch(p -> p.startsWith("releases.crashRestarts:"))
                        .anyMatch(p -> p.startsWith("releases.enabled:"))
                        .anyMatch(p -> p.startsWith("releases.registries.ghcr.io:"))
                        .anyMatch(p -> p.startsWith("releases.plainHttpRegistries:"))
                        .anyMatch(p -> p.startsWith("releases.colour:")));
    }

    @Test
    void readsTheContainersSectionWithDefaults() {
        AgentConfig defaults = loader.parse("");
        AgentConfig config = loader.parse("""
                containers:
                  network: { subnet: 172.30.16.0/20, bridge: apps0 }
                  cgroupParent: /machine.slice/fleetlet
                """);

        assertThat(defaults.containers()).isEqualTo(new AgentConfig.Containers("10.213.0.0/16", "fleetlet0", "/fleetlet"));
        assertThat(config.containers().networkSubnet()).isEqualTo("172.30.16.0/20");
        assertThat(config.containers().networkBridge()).isEqualTo("apps0");
        assertThat(config.containers().cgroupParent()).isEqualTo("/machine.slice/fleetlet");
    }

    @Test
    void rejectsBadContainersSettingsNamingEachKey() {
        assertThatThrownBy(() -> loader.parse("""
                containers:
                  network: { subnet: 10.213.0.1/16, bridge: a-bridge-name-far-too-long, mtu: 1400 }
                  cgroupParent: ../escape
                  colour: blue
                """))
                .isInstanceOfSatisfying(AgentConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "containers.network.subnet: '10.213.0.1/16' has host bits set; the network address is expected",
                        "containers.network.bridge: expected an interface name of 1-15 characters of [a-zA-Z0-9_.-]"
                                + " starting with a letter or digit, got 'a-bridge-name-far-too-long'",
                        "containers.network.mtu: unknown key, expected one of [bridge, subnet]",
                        "containers.cgroupParent: expected an absolute cgroup path like /fleetlet (names of [A-Za-z0-9_.@:+-],"
                                + " not the root), got '../escape'",
                        "containers.colour: unknown key, expected one of [cgroupParent, network]"));
        assertThatThrownBy(() -> loader.parse("containers: { network: { subnet: 10.300.0.0/16 }, cgroupParent: /a/../b }"))
                .isInstanceOfSatisfying(AgentConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "containers.network.subnet: '10.300.0.0/16' has an octet above 255",
                        "containers.cgroupParent: '/a/../b' must not contain . or .. segments"));
        assertThatThrownBy(() -> loader.parse("containers: { network: { subnet: 10.0.0.0/31 }, cgroupParent: / }"))
                .isInstanceOfSatisfying(AgentConfigException.class, e -> assertThat(e.problems()).hasSize(2)
                        .anyMatch(p -> p.startsWith("containers.network.subnet: prefix of '10.0.0.0/31' must be /8 to /30"))
                        .anyMatch(p -> p.startsWith("containers.cgroupParent: expected an absolute cgroup path")));
        assertThatThrownBy(() -> loader.parse("containers: { network: [ 10.0.0.0/8 ] }"))
                .isInstanceOfSatisfying(AgentConfigException.class, e -> assertThat(e.problems())
                        .singleElement().asString().startsWith("containers.network: expected a mapping"));
    }
}
