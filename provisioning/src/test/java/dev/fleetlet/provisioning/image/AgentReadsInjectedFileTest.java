package dev.fleetlet.provisioning.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.agent.config.Provisioning;
import dev.fleetlet.agent.config.ProvisioningLoader;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract with the agent: what inject writes, the agent's own loader accepts with the same values. */
class AgentReadsInjectedFileTest {

    @TempDir
    Path dir;

    @Test
    void theAgentsLoaderAcceptsTheInjectedProvisioningFile() throws IOException {
        // given an image injected with every setting the agent reads
        Path image = ImageFixture.piImage(dir);
        String pem = Files.readString(TestPem.ca(dir));
        BootSettings settings = new BootSettings(URI.create("https://fleet.example:8443"), ImageToolTest.TOKEN, Optional.of(pem),
                Optional.of("sensor-{serial}"), Optional.empty(), Optional.empty());
        new ImageTool(dir.resolve("mounts"), dir).inject(image, Optional.empty(), settings);
        // when the agent parses the file as it finds it on the boot partition
        Provisioning p = new ProvisioningLoader().parse(new String(ImageFixture.mtype(image, BootFiles.PROVISIONING), StandardCharsets.UTF_8));
        // then
        assertThat(p.serverUrl()).isEqualTo(URI.create("https://fleet.example:8443"));
        assertThat(p.token()).isEqualTo(ImageToolTest.TOKEN);
        assertThat(p.caCertificatePem()).contains(pem);
        assertThat(p.hostnamePattern()).contains("sensor-{serial}");
    }

    @Test
    void theAgentsLoaderAcceptsTheMinimalFile() throws IOException {
        Path image = ImageFixture.piImage(dir);
        new ImageTool(dir.resolve("mounts"), dir).inject(image, Optional.empty(), ImageToolTest.minimal());
        Provisioning p = new ProvisioningLoader().parse(new String(ImageFixture.mtype(image, BootFiles.PROVISIONING), StandardCharsets.UTF_8));
        assertThat(p.caCertificatePem()).isEmpty();
        assertThat(p.hostnamePattern()).isEmpty();
    }
}
