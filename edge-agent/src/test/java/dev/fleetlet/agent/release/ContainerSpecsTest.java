package dev.fleetlet.agent.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetlet.agent.image.ImageConfig;
import dev.fleetlet.agent.network.AppNetwork;
import dev.fleetlet.agent.runtime.ContainerSpec;
import dev.fleetlet.agent.runtime.HealthCheck;
import dev.fleetlet.agent.runtime.RestartPolicy;
import dev.fleetlet.agent.runtime.RestartRule;
import dev.fleetlet.protocol.app.AppSpec;
import dev.fleetlet.protocol.app.AppSpecJson;
import dev.fleetlet.protocol.app.DependencyCondition;
import dev.fleetlet.protocol.app.ServiceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerSpecsTest {

    @TempDir
    Path rootfs;

    private static final AppNetwork NET = new AppNetwork("shop", Path.of("/run/netns/fleetlet-shop"), "10.213.0.2", 16,
            "10.213.0.1", Path.of("/var/lib/fleetlet/net/shop/resolv.conf"), Path.of("/var/lib/fleetlet/net/shop/hosts"));

    private ServiceSpec service(String json) throws Exception {
        AppSpec app = AppSpecJson.fromJson(Releases.JSON.readTree("{\"services\": {\"s\": " + json
                + ", \"db\": {\"image\": \"r/db:1\"}}, \"volumes\": {\"data\": {}}}"), "shop");
        return app.services().get("s");
    }

    private ServicePlan plan(String json) throws Exception {
        return ContainerSpecs.plan("shop", "rel-1", "s", service(json), FakeReleaseImages.config(), rootfs, NET);
    }

    @Test
    void takesTheImageDefaultsWhenTheServiceSetsNoProcess() throws Exception {
        // when
        ContainerSpec c = plan("{\"image\": \"r/a:1\"}").container();
        // then
        assertThat(c.args()).containsExactly("/bin/sh", "-c", "sleep 1000");
        assertThat(c.env()).containsEntry("PATH", "/bin").containsEntry("MODE", "image");
        assertThat(c.cwd()).isEqualTo("/srv");
        assertThat(c.uid()).isZero();
    }

    @Test
    void serviceCommandReplacesTheImageCmdButKeepsItsEntrypoint() throws Exception {
        // when
        ContainerSpec c = plan("{\"image\": \"r/a:1\", \"command\": [\"-c\", \"echo hi\"]}").container();
        // then
        assertThat(c.args()).containsExactly("/bin/sh", "-c", "echo hi");
    }

    @Test
    void serviceEntrypointDropsTheImageCmdAndEnvironmentAndWorkdirOverride() throws Exception {
        // when
        ContainerSpec c = plan("""
                {"image": "r/a:1", "entrypoint": ["/bin/app"], "environment": {"MODE": "service", "X": "1"},
                 "working_dir": "/app"}""").container();
        // then
        assertThat(c.args()).containsExactly("/bin/app");
        assertThat(c.env()).containsEntry("MODE", "service").containsEntry("X", "1").containsEntry("PATH", "/bin");
        assertThat(c.cwd()).isEqualTo("/app");
    }

    @Test
    void mapsLimitsWithUnlimitedPids() throws Exception {
        // when
        ContainerSpec c = plan("{\"image\": \"r/a:1\", \"mem_limit\": \"64m\", \"cpus\": 0.5, \"pids_limit\": -1}").container();
        ContainerSpec d = plan("{\"image\": \"r/a:1\", \"pids_limit\": 50}").container();
        // then
        assertThat(c.resources().memoryBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(c.resources().cpuMillis()).isEqualTo(500);
        assertThat(c.resources().pidsLimit()).isNull();
        assertThat(d.resources().pidsLimit()).isEqualTo(50);
    }

    @Test
    void scopesNamedVolumesToTheAppAndKeepsBindsReadOnly() throws Exception {
        // when
        ContainerSpec c = plan("""
                {"image": "r/a:1", "volumes": ["data:/var/data", "/etc/machine-id:/etc/machine-id:ro"],
                 "devices": ["/dev/i2c-1"], "read_only": true, "cap_add": ["net_admin"]}""").container();
        // then
        assertThat(c.volumes()).containsExactly(new ContainerSpec.VolumeMount("shop_data", "/var/data", false));
        assertThat(c.binds()).contains(new ContainerSpec.BindMount(Path.of("/etc/machine-id"), "/etc/machine-id", true));
        assertThat(c.devices()).containsExactly(new ContainerSpec.DeviceMapping(Path.of("/dev/i2c-1"), "/dev/i2c-1", "rwm"));
        assertThat(c.readOnlyRoot()).isTrue();
        assertThat(c.addedCapabilities()).containsExactly("CAP_NET_ADMIN");
        assertThat(ContainerSpecs.volumeName("shop", "data")).as("same name for every release of the app")
                .isEqualTo("shop_data");
    }

    @Test
    void joinsTheAppNetworkWithItsResolverFilesOrTheHostNetwork() throws Exception {
        // when
        ContainerSpec app = plan("{\"image\": \"r/a:1\"}").container();
        ContainerSpec host = plan("{\"image\": \"r/a:1\", \"network_mode\": \"host\"}").container();
        // then
        assertThat(app.networkNamespace()).isEqualTo(NET.netnsPath());
        assertThat(app.binds()).contains(new ContainerSpec.BindMount(NET.resolvConf(), "/etc/resolv.conf", true),
                new ContainerSpec.BindMount(NET.hosts(), "/etc/hosts", true));
        assertThat(host.hostNetwork()).isTrue();
        assertThat(host.networkNamespace()).isNull();
    }

    @Test
    void refusesAnAppNetworkServiceWhenCniIsUnavailable() throws Exception {
        // given
        ServiceSpec s = service("{\"image\": \"r/a:1\"}");
        // then
        assertThatThrownBy(() -> ContainerSpecs.plan("shop", "rel-1", "s", s, FakeReleaseImages.config(), rootfs, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("service s: needs the app's network").hasMessageContaining("CNI");
    }

    @Test
    void refusesTmpfsAndDroppingDefaultCapabilitiesNamingTheKey() throws Exception {
        assertThatThrownBy(() -> plan("{\"image\": \"r/a:1\", \"tmpfs\": [\"/tmp\"]}"))
                .hasMessageContaining("service s: tmpfs /tmp");
        assertThatThrownBy(() -> plan("{\"image\": \"r/a:1\", \"cap_drop\": [\"ALL\"]}"))
                .hasMessageContaining("service s: cap_drop ALL");
    }

    @Test
    void resolvesUserNamesFromTheImagePasswdAndGroupFiles() throws Exception {
        // given
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\ngpio:x:998:app\n");
        // when
        ContainerSpec named = plan("{\"image\": \"r/a:1\", \"user\": \"app:gpio\"}").container();
        ContainerSpec numeric = plan("{\"image\": \"r/a:1\", \"user\": \"1000\"}").container();
        // then
        assertThat(named.uid()).isEqualTo(1000);
        assertThat(named.gid()).isEqualTo(998);
        assertThat(numeric.gid()).as("primary group from passwd").isEqualTo(1000);
        assertThatThrownBy(() -> plan("{\"image\": \"r/a:1\", \"user\": \"nobody\"}"))
                .hasMessageContaining("user nobody is not in the image's /etc/passwd");
    }

    @Test
    void mapsRestartHealthcheckAndDependencies() throws Exception {
        // when
        ServicePlan p = plan("""
                {"image": "r/a:1", "restart": "on-failure:4", "depends_on": ["db"],
                 "healthcheck": {"test": "wget -q localhost", "interval": "2s", "timeout": "1s", "retries": 5,
                                 "start_period": "3s"}}""");
        ServicePlan q = plan("{\"image\": \"r/a:1\", \"restart\": \"unless-stopped\", \"healthcheck\": {\"test\": [\"NONE\"]}}");
        // then
        assertThat(p.restart()).isEqualTo(RestartRule.onFailure(4));
        assertThat(p.health()).isEqualTo(new HealthCheck(List.of("/bin/sh", "-c", "wget -q localhost"),
                Duration.ofSeconds(2), Duration.ofSeconds(1), 5, Duration.ofSeconds(3)));
        assertThat(p.dependsOn()).isEqualTo(Map.of("db", DependencyCondition.SERVICE_STARTED));
        assertThat(q.restart()).isEqualTo(RestartRule.of(RestartPolicy.UNLESS_STOPPED));
        assertThat(q.health()).isNull();
    }

    @Test
    void containerIdsAreValidPerReleaseAndFitLongNames() {
        // when
        String a = ContainerSpecs.containerId("shop", "Web_1", "rel-1");
        String b = ContainerSpecs.containerId("shop", "Web_1", "rel-2");
        String longId = ContainerSpecs.containerId("a".repeat(60), "b".repeat(60), "rel-1");
        // then
        assertThat(a).matches("shop-web_1-[0-9a-f]{8}");
        assertThat(a).isNotEqualTo(b);
        assertThat(longId).hasSizeLessThanOrEqualTo(63);
        ContainerSpec.builder(longId, Path.of("/r"), List.of("x")).build(); // valid per ContainerSpec.ID
    }
}
