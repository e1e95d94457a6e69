package dev.fleetlet.oci.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RequiredToolTest {

    @Test
    void aMissingToolFailsWithTheInstallCommand() {
        assertThatThrownBy(() -> RequiredTool.path("fleetlet-no-such-tool", "fleetlet-tools"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("install fleetlet-tools (apt-get install fleetlet-tools)");
    }

    @Test
    void findsAnInstalledTool() {
        assertThat(RequiredTool.path("sh", "dash")).endsWith("/sh");
    }
}
