package dev.fleetlet.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciSpecGeneratorTest {
    @TempDir
    Path root;

    private final ObjectMapper json = new ObjectMapper();

    private JsonNode generate(ContainerSpec spec) {
        DeviceInspector fakeDevices = p -> new DeviceInspector.DeviceNode("c", 254, 0, 0660);
        OciSpec oci = new OciSpecGenerator(new VolumeStore(root), fakeDevices,
                new CgroupControllers(java.util.Set.of("memory", "cpu", "pids"))).generate(spec);
        JsonNode node = json.valueToTree(oci);
        if (System.getProperty("fleetlet.dumpSpec") != null) {
            System.out.println(node.toPrettyString());
        }
        return node;
    }

    @Test
    void isolatesWithFiveNamespacesAndLimitsFromResources() {
        JsonNode spec = generate(ContainerSpec.builder("web", Path.of("/rootfs"), List.of("/bin/app"))
                .resources(new Resources(32L << 20, 250L, 50L)).build());

        assertThat(spec.at("/linux/namespaces").findValuesAsText("type")).containsExactly("pid", "mount", "uts", "ipc", "network");
        assertThat(spec.at("/linux/resources/memory/limit").asLong()).isEqualTo(32L << 20);
        assertThat(spec.at("/linux/resources/cpu/quota").asLong()).isEqualTo(25_000);
        assertThat(spec.at("/linux/resources/cpu/period").asLong()).isEqualTo(100_000);
        assertThat(spec.at("/linux/resources/pids/limit").asLong()).isEqualTo(50);
        assertThat(spec.at("/linux/cgroupsPath").asText()).isEqualTo("/fleetlet/web");
        assertThat(spec.at("/process/noNewPrivileges").asBoolean()).isTrue();
    }

    @Test
    void hostNetworkSharesTheNetworkNamespaceAndOmitsUnsetLimits() {
        JsonNode spec = generate(ContainerSpec.builder("net", Path.of("/rootfs"), List.of("/bin/app")).hostNetwork(true).build());

        assertThat(spec.at("/linux/namespaces").findValuesAsText("type")).doesNotContain("network");
        assertThat(spec.at("/linux/resources").has("memory")).isFalse();
        assertThat(spec.at("/linux/resources").has("pids")).isFalse();
    }

    @Test
    void joinsAnExistingNetworkNamespaceByPath() {
        JsonNode spec = generate(ContainerSpec.builder("svc", Path.of("/rootfs"), List.of("/bin/app"))
                .networkNamespace(Path.of("/var/lib/fleetlet/network/netns/shop")).build());

        JsonNode network = spec.at("/linux/namespaces/4");
        assertThat(network.path("type").asText()).isEqualTo("network");
        assertThat(network.path("path").asText()).isEqualTo("/var/lib/fleetlet/network/netns/shop");
        assertThat(spec.at("/linux/namespaces/0").has("path")).isFalse();
        assertThat(findMount(spec, "/sys").path("type").asText()).isEqualTo("sysfs");
    }

    @Test
    void aPrivateNetworkNamespaceCarriesNoPath() {
        JsonNode spec = generate(ContainerSpec.builder("solo", Path.of("/rootfs"), List.of("/bin/app")).build());

        assertThat(spec.at("/linux/namespaces/4/type").asText()).isEqualTo("network");
        assertThat(spec.at("/linux/namespaces/4").has("path")).isFalse();
    }

    @Test
    void refusesHostNetworkTogetherWithANamespacePath() {
        assertThatThrownBy(() -> ContainerSpec.builder("both", Path.of("/r"), List.of("x"))
                .hostNetwork(true).networkNamespace(Path.of("/run/netns/a")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("networkNamespace").hasMessageContaining("hostNetwork");
        assertThatThrownBy(() -> ContainerSpec.builder("rel", Path.of("/r"), List.of("x"))
                .networkNamespace(Path.of("netns/a")).build())
                .hasMessageContaining("networkNamespace must be an absolute path");
    }

    @Test
    void keepsOnlyTheDefaultCapabilitiesPlusAdditions() {
        JsonNode spec = generate(ContainerSpec.builder("caps", Path.of("/rootfs"), List.of("/bin/app")).addCapability("NET_ADMIN").build());

        assertThat(spec.at("/process/capabilities/bounding")).extracting(JsonNode::asText)
                .contains("CAP_CHOWN", "CAP_NET_ADMIN").doesNotContain("CAP_SYS_ADMIN", "CAP_SYS_MODULE");
        assertThat(spec.at("/process/capabilities/inheritable")).isEmpty();
        assertThat(spec.at("/process/capabilities/ambient")).isEmpty();
    }

    @Test
    void passesADeviceThroughAndDeniesEveryOtherByDefault() {
        JsonNode spec = generate(ContainerSpec.builder("gpio", Path.of("/rootfs"), List.of("/bin/app"))
                .device(Path.of("/dev/gpiochip0"), "/dev/gpiochip0").build());

        assertThat(spec.at("/linux/devices/0/path").asText()).isEqualTo("/dev/gpiochip0");
        assertThat(spec.at("/linux/devices/0/major").asLong()).isEqualTo(254);
        assertThat(spec.at("/linux/resources/devices/0/allow").asBoolean()).isFalse();
        assertThat(spec.at("/linux/resources/devices/1/allow").asBoolean()).isTrue();
        assertThat(spec.at("/linux/resources/devices/1/major").asLong()).isEqualTo(254);
    }

    @Test
    void mountsNamedVolumesFromTheVolumeDirectory() {
        JsonNode spec = generate(ContainerSpec.builder("db", Path.of("/rootfs"), List.of("/bin/app"))
                .volume("dbdata", "/var/lib/db", false).bind(Path.of("/etc/localtime"), "/etc/localtime", true).build());

        JsonNode volume = findMount(spec, "/var/lib/db");
        assertThat(volume.path("source").asText()).isEqualTo(root.resolve("volumes/dbdata").toString());
        assertThat(volume.path("options")).extracting(JsonNode::asText).contains("rbind", "rw");
        assertThat(findMount(spec, "/etc/localtime").path("options")).extracting(JsonNode::asText).contains("ro");
        assertThat(findMount(spec, "/sys").path("options")).extracting(JsonNode::asText).contains("ro");
    }

    @Test
    void badSpecsNameTheField() {
        assertThatThrownBy(() -> ContainerSpec.builder("Bad Id", Path.of("/r"), List.of("x")).build()).hasMessageContaining("container id 'Bad Id'");
        assertThatThrownBy(() -> ContainerSpec.builder("ok", Path.of("/r"), List.of("x")).volume("v", "data", false).build())
                .hasMessageContaining("volumes[v].containerPath");
        assertThatThrownBy(() -> new Resources(1024L, null, null)).hasMessageContaining("resources.memoryBytes");
        assertThatThrownBy(() -> new Resources(null, 0L, null)).hasMessageContaining("resources.cpuMillis");
        assertThatThrownBy(() -> new VolumeStore(root).ensure("../etc")).hasMessageContaining("volume name '../etc'");
    }

    @Test
    void refusesAMemoryLimitWhenTheKernelDisabledTheMemoryController() {
        CgroupControllers piDefault = CgroupControllers.parse(List.of(
                "#subsys_name\thierarchy\tnum_cgroups\tenabled",
                "cpu\t0\t80\t1", "memory\t0\t80\t0", "pids\t0\t80\t1"));
        OciSpecGenerator generator = new OciSpecGenerator(new VolumeStore(root), p -> null, piDefault);
        ContainerSpec limited = ContainerSpec.builder("app", Path.of("/r"), List.of("x")).resources(new Resources(64L << 20, null, 10L)).build();

        assertThatThrownBy(() -> generator.generate(limited))
                .hasMessageContaining("resources.memoryBytes").hasMessageContaining("cgroup_enable=memory");
        assertThat(generator.generate(ContainerSpec.builder("app", Path.of("/r"), List.of("x"))
                .resources(new Resources(null, 500L, 10L)).build()).linux().resources().pids().limit()).isEqualTo(10);
    }

    @Test
    void placesContainersUnderTheConfiguredCgroupParent() {
        OciSpecGenerator generator = new OciSpecGenerator(new VolumeStore(root), p -> null,
                new CgroupControllers(java.util.Set.of("memory", "cpu", "pids")), "/machine.slice/fleetlet/");

        OciSpec oci = generator.generate(ContainerSpec.builder("web", Path.of("/r"), List.of("x")).build());

        assertThat(oci.linux().cgroupsPath()).isEqualTo("/machine.slice/fleetlet/web");
        assertThat(generator.cgroupPathOf("db")).isEqualTo("/machine.slice/fleetlet/db");
        assertThatThrownBy(() -> new OciSpecGenerator(new VolumeStore(root), p -> null,
                new CgroupControllers(java.util.Set.of()), "fleetlet"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("containers.cgroupParent:");
        assertThat(OciSpecGenerator.cgroupParentProblem("/a/../b")).contains("'/a/../b' must not contain . or .. segments");
        assertThat(OciSpecGenerator.cgroupParentProblem("/with space")).isPresent();
        assertThat(OciSpecGenerator.cgroupParentProblem("/fleetlet")).isEmpty();
    }

    private static JsonNode findMount(JsonNode spec, String destination) {
        for (JsonNode m : spec.path("mounts")) {
            if (m.path("destination").asText().equals(destination)) {
                return m;
            }
        }
        throw new AssertionError("no mount at " + destination);
    }
}
