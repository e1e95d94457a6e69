package dev.fleetlet.agent.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.agent.network.internal.CniResult;
import dev.fleetlet.agent.network.internal.ResolverFiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResolverFilesTest {

    @Test
    void skipsLoopbackStubAndIpv6ResolversButKeepsSearchDomains() {
        String conf = ResolverFiles.resolvConf(List.of("# generated", "nameserver 127.0.0.53", "nameserver 192.168.1.1",
                "nameserver fe80::1", "search lan", "options edns0"), List.of("9.9.9.9"), "10.213.0.1");

        assertThat(conf).contains("nameserver 192.168.1.1\n", "search lan\n", "options edns0\n")
                .doesNotContain("127.0.0.53", "fe80::1", "9.9.9.9", "10.213.0.1");
    }

    @Test
    void fallsBackToConfiguredServersThenToTheGatewayWhenTheHostHasOnlyAStub() {
        List<String> stubOnly = List.of("nameserver 127.0.0.53", "search home");

        assertThat(ResolverFiles.resolvConf(stubOnly, List.of("9.9.9.9", "1.1.1.1"), "10.213.0.1"))
                .contains("nameserver 9.9.9.9\nnameserver 1.1.1.1\n").doesNotContain("10.213.0.1");
        assertThat(ResolverFiles.resolvConf(stubOnly, List.of(), "10.213.0.1")).contains("nameserver 10.213.0.1\n", "search home");
    }

    @Test
    void hostsMapsTheAppAndItsServicesToTheAppAddress() {
        String hosts = ResolverFiles.hosts("shop", "10.213.0.7", List.of("web", "db"));

        assertThat(hosts).contains("127.0.0.1\tlocalhost\n", "10.213.0.7\tshop web db\n");
        assertThatThrownBy(() -> ResolverFiles.hosts("shop", "10.213.0.7", List.of("bad name")))
                .isInstanceOf(NetworkException.class).hasMessageContaining("service name 'bad name'");
    }

    @Test
    void parsesTheFirstIpv4AddressAndGatewayOfACniResult() throws Exception {
        var result = new ObjectMapper().readTree("{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth0\"}],"
                + "\"ips\":[{\"address\":\"fd00::5/64\"},{\"address\":\"10.213.0.9/16\",\"gateway\":\"10.213.0.1\",\"interface\":0}]}");

        assertThat(CniResult.parse(result)).isEqualTo(new CniResult("10.213.0.9", 16, "10.213.0.1"));
        assertThatThrownBy(() -> CniResult.parse(new ObjectMapper().readTree("{\"ips\":[]}")))
                .hasMessageContaining("no IPv4 address");
    }

    @Test
    void badNetworkSettingsNameTheKey() {
        Path state = Path.of("/var/lib/fleetlet/network");
        NetworkConfig ok = NetworkConfig.defaults(state);

        assertThat(ok.subnet()).isEqualTo("10.213.0.0/16");
        assertThatThrownBy(() -> ok.withSubnet("10.213.0.0")).hasMessageContaining("network.subnet '10.213.0.0'");
        assertThatThrownBy(() -> ok.withSubnet("10.300.0.0/16")).hasMessageContaining("network.subnet");
        assertThatThrownBy(() -> ok.withSubnet("10.0.0.0/31")).hasMessageContaining("network.subnet");
        assertThatThrownBy(() -> new NetworkConfig("fleetlet", "a-bridge-name-too-long", "10.1.0.0/16", ok.pluginDirs(), state,
                true, ok.hostResolvConf(), List.of())).hasMessageContaining("network.bridge");
        assertThatThrownBy(() -> new NetworkConfig("fleetlet", "br0", "10.1.0.0/16", ok.pluginDirs(), Path.of("rel"),
                true, ok.hostResolvConf(), List.of())).hasMessageContaining("network.stateDir");
    }
}
