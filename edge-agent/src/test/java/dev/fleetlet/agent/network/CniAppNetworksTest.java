package dev.fleetlet.agent.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.agent.hostcmd.HostCommand;
import dev.fleetlet.agent.network.internal.NetnsMounts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The attach/detach/reconcile logic against shell-script plugins; namespaces are real (root only, no interfaces). */
class CniAppNetworksTest {
    @TempDir
    Path root;

    private final ObjectMapper json = new ObjectMapper();
    private final NetnsMounts mounts = new NetnsMounts(Path.of("/proc/self/mountinfo"));
    private FakePlugins plugins;
    private NetworkConfig config;

    @BeforeEach
    void setUp() throws Exception {
        assertTrue("root".equals(System.getProperty("user.name")), "network namespaces need root: run the tests as root");
        plugins = new FakePlugins(root);
        Path resolv = Files.writeString(root.resolve("resolv.conf"), "nameserver 127.0.0.53\nnameserver 192.0.2.53\n");
        config = new NetworkConfig("testnet", "fltest0", "10.9.0.0/24", List.of(plugins.dir), root.resolve("state"), true,
                resolv, List.of());
    }

    @AfterEach
    void unmountLeftovers() throws Exception {
        Path dir = root.resolve("state/netns");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                s.forEach(mounts::remove);
            }
        }
    }

    private CniAppNetworks networks() {
        return new CniAppNetworks(config, json, Path.of("/proc/self/mountinfo"), Duration.ofSeconds(10));
    }

    @Test
    void attachRunsLoopbackThenTheChainAndAnotherInstanceFindsTheNetworkWithoutAddingAgain() throws Exception {
        plugins.succeeding("loopback", "127.0.0.1/8").succeeding("bridge", "10.9.0.5/24").succeeding("firewall", "10.9.0.5/24");

        AppNetwork shop = networks().attach("shop", List.of("web", "db"));

        assertThat(plugins.calls()).containsExactly("loopback-ADD", "bridge-ADD", "firewall-ADD");
        assertThat(plugins.env(1)).contains("CNI_CONTAINERID=fleetlet-shop", "CNI_IFNAME=eth0",
                "CNI_NETNS=" + root.resolve("state/netns/shop"));
        assertThat(plugins.env(0)).contains("CNI_IFNAME=lo");
        assertThat(shop.cidr()).isEqualTo("10.9.0.5/24");
        assertThat(shop.gateway()).isEqualTo("10.9.0.1");
        assertThat(mounts.isMounted(shop.netnsPath())).isTrue();
        assertThat(Files.readString(shop.hosts())).contains("10.9.0.5\tshop web db");
        assertThat(Files.readString(shop.resolvConf())).contains("nameserver 192.0.2.53").doesNotContain("127.0.0.53");
        assertThat(json.readTree(root.resolve("state/cni/testnet.conflist").toFile()).at("/plugins/0/ipam/dataDir").asText())
                .isEqualTo(root.resolve("state/cni/ipam").toString());

        CniAppNetworks restarted = networks();
        assertThat(restarted.list()).containsExactly(shop);
        assertThat(restarted.reconcile()).isEmpty();
        assertThat(restarted.attach("shop", List.of("web"))).isEqualTo(shop);
        assertThat(plugins.calls()).hasSize(3);
        assertThat(Files.readString(shop.hosts())).contains("10.9.0.5\tshop web\n");
    }

    @Test
    void detachDeletesInReverseOrderWithTheCachedResultAndRemovesEverything() throws Exception {
        plugins.succeeding("loopback", "127.0.0.1/8").succeeding("bridge", "10.9.0.5/24").succeeding("firewall", "10.9.0.5/24");
        CniAppNetworks networks = networks();
        AppNetwork shop = networks.attach("shop");

        networks.detach("shop");
        networks.detach("shop");

        assertThat(plugins.calls()).containsExactly("loopback-ADD", "bridge-ADD", "firewall-ADD",
                "firewall-DEL", "bridge-DEL", "loopback-DEL");
        assertThat(json.readTree(plugins.stdin(3)).at("/prevResult/marker").asText()).isEqualTo("firewall");
        assertThat(mounts.isMounted(shop.netnsPath())).isFalse();
        assertThat(shop.netnsPath()).doesNotExist();
        assertThat(shop.hosts()).doesNotExist();
        assertThat(root.resolve("state/cni/results/shop.json")).doesNotExist();
        assertThat(networks.list()).isEmpty();
        assertThat(networks.find("shop")).isEmpty();
    }

    @Test
    void aFailedAddRollsBackWithDelInReverseOrderAndRemovesTheNamespace() throws Exception {
        plugins.succeeding("loopback", "127.0.0.1/8").succeeding("bridge", "10.9.0.5/24").failingAdd("firewall", "iptables exploded");

        assertThatThrownBy(() -> networks().attach("shop"))
                .isInstanceOfSatisfying(NetworkException.class, e -> {
                    assertThat(e.reason()).isEqualTo(NetworkException.Reason.PLUGIN_FAILED);
                    assertThat(e.getMessage()).contains("ADD firewall", "iptables exploded");
                });

        assertThat(plugins.calls()).containsExactly("loopback-ADD", "bridge-ADD", "firewall-ADD", "firewall-DEL", "bridge-DEL");
        assertThat(json.readTree(plugins.stdin(3)).at("/prevResult/marker").asText()).isEqualTo("bridge");
        assertThat(mounts.isMounted(root.resolve("state/netns/shop"))).isFalse();
        assertThat(root.resolve("state/netns/shop")).doesNotExist();
        assertThat(root.resolve("state/cni/results/shop.json")).doesNotExist();
        assertThat(root.resolve("state/apps/shop")).doesNotExist();
    }

    @Test
    void aMissingPluginFailsBeforeANamespaceIsCreated() throws Exception {
        plugins.succeeding("loopback", "127.0.0.1/8").succeeding("bridge", "10.9.0.5/24");

        assertThatThrownBy(() -> networks().attach("shop"))
                .isInstanceOfSatisfying(NetworkException.class, e -> {
                    assertThat(e.reason()).isEqualTo(NetworkException.Reason.MISSING_PLUGIN);
                    assertThat(e.getMessage()).contains("'firewall'", "containernetworking-plugins");
                });
        assertThat(plugins.calls()).isEmpty();
        assertThat(root.resolve("state/netns/shop")).doesNotExist();
    }

    @Test
    void reconcileReleasesANetworkWhoseNamespaceDidNotSurviveAReboot() throws Exception {
        plugins.succeeding("loopback", "127.0.0.1/8").succeeding("bridge", "10.9.0.5/24").succeeding("firewall", "10.9.0.5/24");
        AppNetwork shop = networks().attach("shop");
        HostCommand.run(List.of("umount", shop.netnsPath().toString()), Duration.ofSeconds(5));

        CniAppNetworks afterReboot = networks();
        assertThat(afterReboot.find("shop")).isEmpty();
        assertThat(afterReboot.reconcile()).containsExactly("shop");

        assertThat(plugins.calls()).endsWith("firewall-DEL", "bridge-DEL");
        assertThat(plugins.env(4)).contains("CNI_NETNS=\n", "CNI_COMMAND=DEL");
        assertThat(json.readTree(plugins.stdin(4)).at("/prevResult/marker").asText()).isEqualTo("firewall");
        assertThat(shop.netnsPath()).doesNotExist();
        assertThat(root.resolve("state/cni/results/shop.json")).doesNotExist();
        assertThat(afterReboot.reconcile()).isEmpty();
    }

    @Test
    void aBadServiceNameIsRefusedBeforeAnyPluginRuns() throws Exception {
        plugins.succeeding("loopback", "127.0.0.1/8").succeeding("bridge", "10.9.0.5/24").succeeding("firewall", "10.9.0.5/24");

        assertThatThrownBy(() -> networks().attach("shop", List.of("web", "no spaces")))
                .isInstanceOfSatisfying(NetworkException.class, e -> assertThat(e.reason()).isEqualTo(NetworkException.Reason.INVALID))
                .hasMessageContaining("service name 'no spaces'");
        assertThat(plugins.calls()).isEmpty();
        assertThat(root.resolve("state/netns/shop")).doesNotExist();
    }

    @Test
    void rejectsAnAppNameThatCannotNameANamespace() {
        assertThatThrownBy(() -> networks().attach("../etc"))
                .isInstanceOfSatisfying(NetworkException.class, e -> assertThat(e.reason()).isEqualTo(NetworkException.Reason.INVALID))
                .hasMessageContaining("app name '../etc'");
    }
}
