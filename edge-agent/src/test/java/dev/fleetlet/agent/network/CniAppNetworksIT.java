package dev.fleetlet.agent.network;

import static dev.fleetlet.agent.network.HostNet.connectFrom;
import static dev.fleetlet.agent.network.HostNet.inNetns;
import static dev.fleetlet.agent.network.HostNet.sh;
import static dev.fleetlet.agent.network.HostNet.shAllowingFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fleetlet.agent.hostcmd.HostCommand;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Debian CNI plugins (bridge, host-local, firewall, loopback) as root. Every run uses its own
 * network name, bridge and subnet, and removes the bridge, the namespaces and the iptables chains it created.
 */
class CniAppNetworksIT {
    private static final Path PLUGINS = Path.of("/usr/lib/cni");
    private static final String SUFFIX = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
    private static final int OCTET = ThreadLocalRandom.current().nextInt(1, 250);
    private static String ipForwardBefore;
    private static boolean cniChainsExistedBefore;

    @TempDir
    Path root;

    private NetworkConfig config;
    private CniAppNetworks networks;

    @BeforeAll
    static void requireRootAndPlugins() throws Exception {
        assertTrue("root".equals(System.getProperty("user.name")), "CNI plugins need root: run the tests as root");
        assertTrue(Files.isExecutable(PLUGINS.resolve("bridge")), "CNI plugins missing: apt-get install containernetworking-plugins");
        ipForwardBefore = Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).strip();
        cniChainsExistedBefore = sh("iptables", "-S").contains("-N CNI-FORWARD");
    }

    @BeforeEach
    void setUp() throws Exception {
        Path resolv = Files.writeString(root.resolve("resolv.conf"), "nameserver 127.0.0.53\nnameserver 192.0.2.53\nsearch lan\n");
        config = new NetworkConfig("flt-it-" + SUFFIX, "fltit" + SUFFIX, "10.231." + OCTET + ".0/24", List.of(PLUGINS),
                root.resolve("state"), true, resolv, List.of());
        networks = new CniAppNetworks(config);
    }

    @AfterEach
    void detachEverything() throws Exception {
        for (AppNetwork n : networks.list()) {
            networks.detach(n.appName());
        }
        networks.reconcile();
        shAllowingFailure("ip", "link", "del", config.bridgeName());
    }

    @AfterAll
    static void restoreHost() throws Exception {
        if (ipForwardBefore == null) {
            return;
        }
        if (!cniChainsExistedBefore) {
            for (String chain : List.of("CNI-FORWARD", "CNI-ADMIN")) {
                shAllowingFailure("iptables", "-D", "FORWARD", "-m", "comment", "--comment", "CNI firewall plugin rules", "-j", chain);
                shAllowingFailure("iptables", "-D", "CNI-FORWARD", "-m", "comment", "--comment", "CNI firewall plugin admin overrides",
                        "-j", "CNI-ADMIN");
            }
            shAllowingFailure("iptables", "-X", "CNI-FORWARD");
            shAllowingFailure("iptables", "-X", "CNI-ADMIN");
        }
        Files.writeString(Path.of("/proc/sys/net/ipv4/ip_forward"), ipForwardBefore);
    }

    @Test
    void twoAppsGetDistinctAddressesInTheSubnetADefaultRouteAndLoopback() {
        AppNetwork a = networks.attach("a", List.of("web"));
        AppNetwork b = networks.attach("b");

        assertThat(a.ipv4Address()).startsWith("10.231." + OCTET + ".").isNotEqualTo(b.ipv4Address());
        assertThat(b.ipv4Address()).startsWith("10.231." + OCTET + ".");
        assertThat(a.gateway()).isEqualTo("10.231." + OCTET + ".1").isEqualTo(b.gateway());
        assertThat(a.prefixLength()).isEqualTo(24);
        for (AppNetwork n : List.of(a, b)) {
            assertThat(inNetns(n.netnsPath(), "ip", "-4", "addr", "show", "eth0")).contains("inet " + n.cidr());
            assertThat(inNetns(n.netnsPath(), "ip", "-4", "route", "show", "default")).contains("default via " + n.gateway());
            assertThat(inNetns(n.netnsPath(), "ip", "-4", "addr", "show", "lo")).contains("inet 127.0.0.1/8");
        }
        networks.check("a");
    }

    @Test
    void appsReachTheGatewayAndTheHostsPrimaryAddress() throws Exception {
        AppNetwork a = networks.attach("a");
        AppNetwork b = networks.attach("b");

        for (AppNetwork n : List.of(a, b)) {
            assertThat(peerSeenBy(InetAddress.getByName(n.gateway()), n)).isEqualTo(n.ipv4Address());
        }
        // Traffic to one of the host's own addresses is delivered locally (INPUT), so it never passes
        // POSTROUTING: the host sees the app's own address, not a masqueraded one.
        assertThat(peerSeenBy(InetAddress.getByName(HostNet.primaryAddress()), a)).isEqualTo(a.ipv4Address());
    }

    @Test
    void trafficLeavingTheHostIsMasqueradedBehindTheHostsAddress() throws Exception {
        AppNetwork a = networks.attach("a");
        String outside = "flt-out-" + SUFFIX;
        String hostEnd = "fltv" + SUFFIX;
        sh("ip", "netns", "add", outside);
        try {
            sh("ip", "link", "add", hostEnd, "type", "veth", "peer", "name", "eth9", "netns", outside);
            sh("ip", "addr", "add", "198.51.100.1/30", "dev", hostEnd);
            sh("ip", "link", "set", hostEnd, "up");
            sh("ip", "netns", "exec", outside, "ip", "addr", "add", "198.51.100.2/30", "dev", "eth9");
            sh("ip", "netns", "exec", outside, "ip", "link", "set", "eth9", "up");
            Process server = new ProcessBuilder("ip", "netns", "exec", outside, "python3", "-c",
                    "import socket,sys\n"
                            + "s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
                            + "s.bind(('198.51.100.2', 0)); s.listen(1); print(s.getsockname()[1], flush=True)\n"
                            + "s.settimeout(15); c,addr=s.accept(); print(addr[0], flush=True)\n").redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                int port = Integer.parseInt(out.readLine().strip());

                HostCommand.Result connect = connectFrom(a.netnsPath(), "198.51.100.2", port);

                assertThat(connect.exitCode()).as(connect.stderr()).isZero();
                assertThat(out.readLine()).isEqualTo("198.51.100.1");
            } finally {
                server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            assertThat(sh("iptables", "-t", "nat", "-S", "POSTROUTING")).contains(a.ipv4Address());
        } finally {
            shAllowingFailure("ip", "netns", "del", outside);
            shAllowingFailure("ip", "link", "del", hostEnd);
        }
    }

    @Test
    void detachRemovesTheVethTheNamespaceTheAllocationAndTheNatRules() throws Exception {
        AppNetwork a = networks.attach("a");
        Path allocation = root.resolve("state/cni/ipam").resolve(config.networkName()).resolve(a.ipv4Address());
        assertThat(allocation).exists();
        assertThat(ports()).hasSize(1);
        assertThat(sh("iptables", "-t", "nat", "-S")).contains(a.ipv4Address());
        assertThat(sh("iptables", "-S", "CNI-FORWARD")).contains(a.ipv4Address());

        networks.detach("a");

        assertThat(ports()).isEmpty();
        assertThat(allocation).doesNotExist();
        assertThat(a.netnsPath()).doesNotExist();
        assertThat(a.resolvConf()).doesNotExist();
        assertThat(sh("iptables", "-t", "nat", "-S")).doesNotContain(a.ipv4Address());
        assertThat(sh("iptables", "-S")).doesNotContain(a.ipv4Address());
        networks.detach("a");
    }

    @Test
    void aRestartedAgentFindsTheExistingNetworkInsteadOfAllocatingAgain() throws Exception {
        AppNetwork a = networks.attach("a", List.of("web"));

        CniAppNetworks restarted = new CniAppNetworks(config);
        assertThat(restarted.reconcile()).isEmpty();
        AppNetwork again = restarted.attach("a", List.of("web"));

        assertThat(again).isEqualTo(a);
        try (Stream<Path> s = Files.list(root.resolve("state/cni/ipam").resolve(config.networkName()))) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9.]+"))).containsExactly(a.ipv4Address());
        }
        assertThat(ports()).hasSize(1);
        assertThat(Files.readString(a.resolvConf())).contains("nameserver 192.0.2.53", "search lan").doesNotContain("127.0.0.53");
        assertThat(Files.readString(a.hosts())).contains(a.ipv4Address() + "\ta web");
    }

    @Test
    void aRebootLeavesAllocationsThatReconcileReleases() throws Exception {
        AppNetwork a = networks.attach("a");
        Path allocation = root.resolve("state/cni/ipam").resolve(config.networkName()).resolve(a.ipv4Address());
        // A reboot: the namespace (and its veth) vanish, the agent's files stay.
        sh("umount", a.netnsPath().toString());

        CniAppNetworks afterReboot = new CniAppNetworks(config);
        assertThat(afterReboot.list()).isEmpty();
        assertThat(afterReboot.reconcile()).containsExactly("a");

        assertThat(allocation).doesNotExist();
        assertThat(ports()).isEmpty();
        assertThat(sh("iptables", "-t", "nat", "-S")).doesNotContain(a.ipv4Address());
        assertThat(sh("iptables", "-S")).doesNotContain(a.ipv4Address());
        AppNetwork fresh = afterReboot.attach("a");
        assertThat(fresh.ipv4Address()).startsWith("10.231." + OCTET + ".");
    }

    @Test
    void anExhaustedSubnetIsAClearErrorAndLeaksNothing() throws Exception {
        NetworkConfig tiny = new NetworkConfig("flt-tiny-" + SUFFIX, "flttn" + SUFFIX, "10.232." + OCTET + ".0/30",
                List.of(PLUGINS), root.resolve("tiny"), true, config.hostResolvConf(), List.of());
        CniAppNetworks small = new CniAppNetworks(tiny);
        try {
            AppNetwork only = small.attach("first");
            assertThat(only.ipv4Address()).isEqualTo("10.232." + OCTET + ".2");

            assertThatThrownBy(() -> small.attach("second"))
                    .isInstanceOfSatisfying(NetworkException.class, e -> {
                        assertThat(e.reason()).isEqualTo(NetworkException.Reason.SUBNET_EXHAUSTED);
                        assertThat(e.getMessage()).contains("subnet exhausted");
                    });

            assertThat(root.resolve("tiny/netns/second")).doesNotExist();
            assertThat(root.resolve("tiny/cni/results/second.json")).doesNotExist();
            assertThat(small.list()).extracting(AppNetwork::appName).containsExactly("first");
            assertThat(sh("ip", "-o", "link", "show", "master", tiny.bridgeName()).lines()).hasSize(1);
        } finally {
            small.detach("first");
            small.detach("second");
            shAllowingFailure("ip", "link", "del", tiny.bridgeName());
        }
    }

    private List<String> ports() {
        return sh("ip", "-o", "link", "show", "master", config.bridgeName()).lines().toList();
    }

    private static String peerSeenBy(InetAddress listen, AppNetwork from) throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(listen, 0));
            server.setSoTimeout(10_000);
            HostCommand.Result connect = connectFrom(from.netnsPath(), listen.getHostAddress(), server.getLocalPort());
            assertThat(connect.exitCode()).as("connect from %s to %s: %s", from.appName(), listen, connect.stderr()).isZero();
            try (Socket s = server.accept()) {
                return s.getInetAddress().getHostAddress();
            }
        }
    }
}
