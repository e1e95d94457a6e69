package dev.fleetlet.agent.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetlet.agent.network.internal.CniChain;
import dev.fleetlet.agent.network.internal.CniPluginRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CniChainTest {
    @TempDir
    Path root;

    private final ObjectMapper json = new ObjectMapper();
    private FakePlugins plugins;

    @BeforeEach
    void setUp() throws Exception {
        plugins = new FakePlugins(root);
    }

    private CniChain chain(String... types) {
        ObjectNode list = json.createObjectNode().put("cniVersion", "1.0.0").put("name", "testnet");
        for (String t : types) {
            list.withArray("plugins").addObject().put("type", t).put("setting", t + "-value");
        }
        return new CniChain(new CniPluginRunner(List.of(root.resolve("nowhere"), plugins.dir), Duration.ofSeconds(10), json), list);
    }

    @Test
    void addRunsThePluginsInOrderAndPassesEachThePreviousResult() throws Exception {
        plugins.succeeding("alpha", "10.9.0.5/24").succeeding("beta", "10.9.0.6/24");

        JsonNode result = chain("alpha", "beta").add("fleetlet-shop", Path.of("/run/ns/shop"), "eth0");

        assertThat(plugins.calls()).containsExactly("alpha-ADD", "beta-ADD");
        JsonNode first = json.readTree(plugins.stdin(0));
        assertThat(first.path("name").asText()).isEqualTo("testnet");
        assertThat(first.path("cniVersion").asText()).isEqualTo("1.0.0");
        assertThat(first.path("setting").asText()).isEqualTo("alpha-value");
        assertThat(first.has("prevResult")).isFalse();
        JsonNode second = json.readTree(plugins.stdin(1));
        assertThat(second.at("/prevResult/marker").asText()).isEqualTo("alpha");
        assertThat(second.at("/prevResult/ips/0/address").asText()).isEqualTo("10.9.0.5/24");
        assertThat(plugins.env(1)).contains("CNI_COMMAND=ADD", "CNI_CONTAINERID=fleetlet-shop", "CNI_NETNS=/run/ns/shop",
                "CNI_IFNAME=eth0", "CNI_PATH=" + root.resolve("nowhere") + ":" + plugins.dir);
        assertThat(result.path("marker").asText()).isEqualTo("beta");
    }

    @Test
    void deleteRunsInReverseOrderWithTheCachedResultAndKeepsGoingAfterAFailure() throws Exception {
        plugins.succeeding("alpha", "10.9.0.5/24").failingDel("beta", "10.9.0.6/24").succeeding("gamma", "10.9.0.7/24");
        JsonNode cached = json.readTree("{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.9.0.7/24\"}],\"marker\":\"cached\"}");

        List<NetworkException> failures = chain("alpha", "beta", "gamma").delete("fleetlet-shop", null, "eth0", cached);

        assertThat(plugins.calls()).containsExactly("gamma-DEL", "beta-DEL", "alpha-DEL");
        for (int i = 0; i < 3; i++) {
            assertThat(json.readTree(plugins.stdin(i)).at("/prevResult/marker").asText()).isEqualTo("cached");
        }
        assertThat(plugins.env(0)).contains("CNI_NETNS=\n");
        assertThat(failures).singleElement().satisfies(e -> {
            assertThat(e.reason()).isEqualTo(NetworkException.Reason.PLUGIN_FAILED);
            assertThat(e.getMessage()).contains("DEL beta", "exit 2", "del exploded");
        });
    }

    @Test
    void aFailingAddStopsTheChainAndCarriesThePluginMessageAndThePartialResult() throws Exception {
        plugins.succeeding("alpha", "10.9.0.5/24").failingAdd("beta", "veth exploded").succeeding("gamma", "10.9.0.7/24");

        assertThatThrownBy(() -> chain("alpha", "beta", "gamma").add("fleetlet-shop", Path.of("/ns"), "eth0"))
                .isInstanceOfSatisfying(CniChain.AddFailure.class, f -> {
                    assertThat(f.error().getMessage()).contains("CNI ADD beta", "code 11", "veth exploded");
                    assertThat(f.partialResult().path("marker").asText()).isEqualTo("alpha");
                });
        assertThat(plugins.calls()).containsExactly("alpha-ADD", "beta-ADD");
    }

    @Test
    void anExhaustedSubnetIsReportedAsSuch() throws Exception {
        plugins.failingAdd("bridge", "failed to allocate for range 0: no IP addresses available in range set: 10.9.0.1-10.9.0.2");

        assertThatThrownBy(() -> chain("bridge").add("fleetlet-shop", Path.of("/ns"), "eth0"))
                .isInstanceOfSatisfying(CniChain.AddFailure.class, f -> {
                    assertThat(f.error().reason()).isEqualTo(NetworkException.Reason.SUBNET_EXHAUSTED);
                    assertThat(f.error().getMessage()).startsWith("subnet exhausted").contains("no IP addresses available");
                });
    }

    @Test
    void aMissingPluginNamesTheBinaryAndTheDebianPackageBeforeAnythingRuns() throws Exception {
        plugins.succeeding("alpha", "10.9.0.5/24");

        assertThatThrownBy(() -> chain("alpha", "tuning").requirePlugins())
                .isInstanceOfSatisfying(NetworkException.class, e -> {
                    assertThat(e.reason()).isEqualTo(NetworkException.Reason.MISSING_PLUGIN);
                    assertThat(e.getMessage()).contains("'tuning'", "containernetworking-plugins");
                });
        assertThat(plugins.calls()).isEmpty();
    }

    @Test
    void checkPassesTheCachedResultToEveryPluginInOrder() throws Exception {
        plugins.succeeding("alpha", "10.9.0.5/24").succeeding("beta", "10.9.0.6/24");
        JsonNode cached = json.readTree("{\"ips\":[],\"marker\":\"cached\"}");

        chain("alpha", "beta").check("fleetlet-shop", Path.of("/ns"), "eth0", cached);

        assertThat(plugins.calls()).containsExactly("alpha-CHECK", "beta-CHECK");
        assertThat(json.readTree(plugins.stdin(0)).at("/prevResult/marker").asText()).isEqualTo("cached");
    }
}
