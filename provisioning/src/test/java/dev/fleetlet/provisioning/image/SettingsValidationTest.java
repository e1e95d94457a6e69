package dev.fleetlet.provisioning.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SettingsValidationTest {

    static final String TOKEN = ImageToolTest.TOKEN;

    @Test
    void derivesTheWpaPskLikeWpaPassphrase() {
        // IEEE 802.11i-2004 annex H.4 test vector: passphrase "password", SSID "IEEE"
        WifiNetwork w = WifiNetwork.fromPassphrase("IEEE", "password".toCharArray(), Optional.empty());
        assertThat(w.pskHex()).isEqualTo("f42c6fc52df0ebef9ebb4b90b38a5f902e83fe1b135a70e23aed762e9710a12e");
        assertThat(w.toString()).doesNotContain(w.pskHex());
        assertThat(WifiNetwork.parse(w.toWpaSupplicantConf())).contains(w);
        assertThat(w.toWpaSupplicantConf()).doesNotContain("password");
    }

    @Test
    void rejectsAShortWifiPassphraseNamingTheOption() {
        assertThatThrownBy(() -> WifiNetwork.fromPassphrase("lab", "short".toCharArray(), Optional.empty()))
                .hasMessageContaining("--wifi-psk-stdin").hasMessageContaining("8 to 63");
    }

    @Test
    void rejectsATokenThatIsNotAProvisioningToken() {
        assertThatThrownBy(() -> settings("https://fleet.example", "fat_abcdef1234_" + "A".repeat(32), null, null))
                .hasMessageStartingWith("--token:").hasMessageNotContaining("AAAA");
        assertThatThrownBy(() -> settings("https://fleet.example", "flt_short_secret", null, null)).hasMessageStartingWith("--token:");
    }

    @Test
    void rejectsAServerUrlWithoutHttpScheme() {
        assertThatThrownBy(() -> BootSettings.serverUri("ftp://fleet.example")).hasMessageStartingWith("--server:");
        assertThatThrownBy(() -> BootSettings.serverUri("fleet.example:8443")).hasMessageStartingWith("--server:");
        assertThat(BootSettings.serverUri("https://fleet.example:8443/").toString()).isEqualTo("https://fleet.example:8443");
    }

    @Test
    void rejectsACaFileThatIsNotPem() {
        assertThatThrownBy(() -> settings("https://fleet.example", TOKEN, "hello", null)).hasMessageStartingWith("--ca-cert:");
    }

    @Test
    void acceptsOnlyTheHostnamePlaceholderTheAgentKnows() {
        assertThat(settings("https://fleet.example", TOKEN, null, "fleet-{serial}").hostnamePattern()).contains("fleet-{serial}");
        assertThatThrownBy(() -> settings("https://fleet.example", TOKEN, null, "fleet-{serial6}"))
                .hasMessageStartingWith("--hostname-pattern:");
        assertThatThrownBy(() -> settings("https://fleet.example", TOKEN, null, "Fleet_{serial}"))
                .hasMessageStartingWith("--hostname-pattern:");
    }

    @Test
    void rejectsAnSshKeyFileWithoutAPublicKey() {
        assertThatThrownBy(() -> new BootSettings(URI.create("https://f.example"), TOKEN, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC\n")))
                .hasMessageStartingWith("--ssh-authorized-key:");
        assertThat(new BootSettings(URI.create("https://f.example"), TOKEN, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of("# ops\nno-agent-forwarding ssh-ed25519 AAAAC3Nza ops@x\n")).sshAuthorizedKeys()).isPresent();
    }

    @Test
    void masksTheTokenSecret() {
        assertThat(BootSettings.maskToken(TOKEN)).isEqualTo("flt_abcdef1234_********");
        assertThat(settings("https://fleet.example", TOKEN, null, null).toString()).doesNotContain("A1b2C3");
    }

    static BootSettings settings(String url, String token, String pem, String pattern) {
        return new BootSettings(URI.create(url), token, Optional.ofNullable(pem), Optional.ofNullable(pattern), Optional.empty(), Optional.empty());
    }
}
