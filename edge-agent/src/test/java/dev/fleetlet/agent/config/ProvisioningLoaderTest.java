package dev.fleetlet.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProvisioningLoaderTest {

    private final ProvisioningLoader loader = new ProvisioningLoader();

    @Test
    void readsServerUrlTokenAndHostnamePattern() {
        Provisioning p = loader.parse("""
                {"serverUrl": "https://fleet.example:8443", "token": "flt_secret_token", "hostnamePattern": "sensor-{serial}"}
                """);

        assertThat(p.serverUrl().getHost()).isEqualTo("fleet.example");
        assertThat(p.token()).isEqualTo("flt_secret_token");
        assertThat(p.caCertificatePem()).isEmpty();
        assertThat(p.hostnamePattern()).contains("sensor-{serial}");
        assertThat(p.toString()).doesNotContain("flt_secret_token");
    }

    @Test
    void namesMissingAndInvalidKeysWithoutEchoingTheToken() {
        assertThatThrownBy(() -> loader.parse("""
                {"serverUrl": "ftp://fleet", "token": "short-token", "caCertificatePem": "not a pem"}
                """))
                .isInstanceOfSatisfying(AgentConfigException.class, e -> {
                    assertThat(e.problems()).hasSize(3);
                    assertThat(e.problems().get(0)).startsWith("serverUrl: expected an http or https URL");
                    assertThat(e.problems().get(1)).startsWith("token: required");
                    assertThat(e.problems().get(2)).startsWith("caCertificatePem:");
                    assertThat(e.getMessage()).doesNotContain("short-token");
                });
    }

    @Test
    void explainsAMissingFile() {
        assertThatThrownBy(() -> loader.load(Path.of("/nonexistent/fleetlet-provisioning.json")))
                .hasMessageContaining("does not exist; the image must carry it on its boot partition");
    }
}
