package dev.fleetlet.agent.network;

import static dev.fleetlet.agent.network.HostNet.inNetns;
import static dev.fleetlet.agent.network.HostNet.shAllowingFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fleetlet.agent.containertest.RuncFixture;
import dev.fleetlet.agent.runtime.ContainerSpec;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two busybox containers under real runc joining one app network (pod-like): they share localhost, reach
 * the host through the bridge gateway with the app's address, and see the app's resolv.conf and hosts.
 */
class AppNetworkContainerIT {
    private static final Path PLUGINS = Path.of("/usr/lib/cni");
    private static final String SUFFIX = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
    private static final int OCTET = ThreadLocalRandom.current().nextInt(1, 250);

    @TempDir
    Path tmp;

    private RuncFixture fx;
    private CniAppNetworks networks;
    private NetworkConfig config;
    private String ipForwardBefore;

    @BeforeEach
    void setUp() throws Exception {
        assertTrue("root".equals(System.getProperty("user.name")), "runc and CNI plugins need root: run the tests as root");
        assertTrue(Files.isExecutable(PLUGINS.resolve("bridge")), "CNI plugins missing: apt-get install containernetworking-plugins");
        ipForwardBefore = Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).strip();
        fx = new RuncFixture(tmp);
        Path resolv = Files.writeString(tmp.resolve("host-resolv.conf"), "nameserver 127.0.0.53\nnameserver 192.0.2.53\n");
        // No firewall plugin here: CniAppNetworksIT covers it, and its chains are shared host state.
        config = new NetworkConfig("flt-ct-" + SUFFIX, "fltct" + SUFFIX, "10.233." + OCTET + ".0/24", List.of(PLUGINS),
                tmp.resolve("network"), false, resolv, List.of());
        networks = new CniAppNetworks(config);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (fx == null) {
            return;
        }
        fx.cleanUp();
        networks.detach("shop");
        shAllowingFailure("ip", "link", "del", config.bridgeName());
        Files.writeString(Path.of("/proc/sys/net/ipv4/ip_forward"), ipForwardBefore);
    }

    @Test
    void servicesOfAnAppShareLocalhostAndReachTheHostWithTheAppAddress() throws Exception {
        Path rootfs = fx.busyboxRootfs("rootfs");
        AppNetwork shop = networks.attach("shop", List.of("web", "client"));
        try (ServerSocket host = new ServerSocket()) {
            host.bind(new InetSocketAddress(InetAddress.getByName(shop.gateway()), 0));
            host.setSoTimeout(15_000);
            fx.runtime.start(service("web", rootfs, shop, "echo pong | nc -l -p 8080"));
            await().atMost(Duration.ofSeconds(10)).until(() -> inNetns(shop.netnsPath(), "ss", "-ltn").contains(":8080"));

            fx.runtime.start(service("client", rootfs, shop, "ip -4 addr show eth0; cat /etc/hosts /etc/resolv.conf; "
                    + "echo from-container | nc " + shop.gateway() + " " + host.getLocalPort() + "; "
                    + "echo reply=$(timeout 5 nc 127.0.0.1 8080 </dev/null)"));

            try (Socket s = host.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                assertThat(in.readLine()).isEqualTo("from-container");
                assertThat(s.getInetAddress().getHostAddress()).isEqualTo(shop.ipv4Address());
            }
        }

        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> fx.stdout("client").contains("reply="));
        String out = fx.stdout("client");
        assertThat(out).contains("inet " + shop.cidr(), shop.ipv4Address() + "\tshop web client", "nameserver 192.0.2.53",
                "reply=pong").doesNotContain("127.0.0.53");
    }

    private static ContainerSpec service(String name, Path rootfs, AppNetwork net, String script) {
        return ContainerSpec.builder(name, rootfs, List.of("sh", "-c", script))
                .networkNamespace(net.netnsPath())
                .bind(net.resolvConf(), "/etc/resolv.conf", true)
                .bind(net.hosts(), "/etc/hosts", true)
                .build();
    }
}
