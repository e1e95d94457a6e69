package dev.fleetlet.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EnrollmentCredentialConfigTest {

    private final AgentConfigLoader loader = new AgentConfigLoader();

    @Test
    void thePasswordCredentialIsTheDefault() {
        // given a configuration without an enrollment section, when parsed, then the credential is the password
        assertThat(loader.parse("agent:\n  dataDir: /tmp/x\n").enrollment().credential())
                .isEqualTo(AgentConfig.Credential.PASSWORD);
    }

    @Test
    void theCertificateCredentialIsOptIn() {
        // given enrollment.credential: certificate, when parsed, then it is selected
        assertThat(loader.parse("enrollment:\n  credential: certificate\n").enrollment().credential())
                .isEqualTo(AgentConfig.Credential.CERTIFICATE);
    }

    @Test
    void anUnknownCredentialIsAnErrorNamingTheKey() {
        // given a typo, when parsed, then the error names enrollment.credential and the value
        assertThatThrownBy(() -> loader.parse("enrollment:\n  credential: certficate\n"))
                .isInstanceOf(AgentConfigException.class)
                .hasMessageContaining("credential").hasMessageContaining("certficate");
    }
}
