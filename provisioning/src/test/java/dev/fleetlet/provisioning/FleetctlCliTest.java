package dev.fleetlet.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.provisioning.image.BootFiles;
import dev.fleetlet.provisioning.image.ImageFixture;
import dev.fleetlet.provisioning.image.TestPem;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetctlCliTest {

    static final String TOKEN = "flt_abcdef1234_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6";

    @TempDir
    Path dir;

    Path config() {
        return dir.resolve("cfg/fleetctl.json");
    }

    @Test
    void unknownOptionIsAUsageErrorWithExitCode2() {
        CliRun r = CliRun.run(config(), "", "token", "list", "--bogus");
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option: '--bogus'");
    }

    @Test
    void missingRequiredOptionIsAUsageError() {
        CliRun r = CliRun.run(config(), "", "token", "create");
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required option: '--fleet=<fleet>'");
    }

    @Test
    void loginNeedsExactlyOneSecretSource() {
        CliRun r = CliRun.run(config(), "", "login", "--server", "https://f.example", "--password-stdin", "--token-stdin");
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("mutually exclusive");
    }

    @Test
    void badExpiryIsAUsageErrorNamingTheOption() {
        CliRun r = CliRun.run(config(), "", "token", "create", "--fleet", "lab", "--expires", "30 days");
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("--expires: expected a duration like 12h, 30d");
        assertThat(TokenCommands.hours("30d")).isEqualTo(720);
        assertThat(TokenCommands.hours("2w")).isEqualTo(336);
    }

    @Test
    void apiCommandsWithoutLoginSayHowToLogIn() {
        CliRun r = CliRun.run(config(), "", "devices", "list");
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("not logged in: run 'fleetctl login --server URL");
    }

    @Test
    void loginToAServerNobodyListensOnExitsWith3AndStoresNothing() throws IOException {
        int port = closedPort();
        CliRun r = CliRun.run(config(), "s3cret-password\n", "login", "--server", "http://127.0.0.1:" + port, "--user", "admin",
                "--password-stdin");
        assertThat(r.exit()).as(r.toString()).isEqualTo(3);
        assertThat(r.err()).contains("cannot reach the fleet server at http://127.0.0.1:" + port).doesNotContain("s3cret-password");
        assertThat(config()).doesNotExist();
    }

    @Test
    void storesProfilesWithMode0600() throws IOException {
        // given
        ProfileStore store = new ProfileStore(config());
        // when
        store.save(new Profile("https://a.example", "admin", "fat_x_secret", null));
        store.save(new Profile("https://b.example", null, "fat_y_secret", null));
        // then
        assertThat(Files.getPosixFilePermissions(config())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(store.find(null).orElseThrow().server()).isEqualTo("https://b.example");
        assertThat(store.find("https://a.example/").orElseThrow().apiToken()).isEqualTo("fat_x_secret");
        assertThat(store.load().profiles()).hasSize(2);
    }

    @Test
    void injectRefusesABadTokenFormatWithExit2AndLeavesTheImageAlone() throws IOException {
        Path image = ImageFixture.piImage(dir);
        String before = sha(image);
        CliRun r = CliRun.run(config(), "", "image", "inject", image.toString(), "--server", "https://f.example", "--token", "flt_nope");
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("--token: expected a provisioning token");
        assertThat(sha(image)).isEqualTo(before);
    }

    @Test
    void injectWithoutAProfileIsRefusedUnlessForcedOffline() throws IOException {
        // given an image, a CA and no login
        Path image = ImageFixture.piImage(dir);
        Path ca = TestPem.ca(dir);
        String before = sha(image);
        // when not forced: refused, untouched
        CliRun refused = CliRun.run(config(), "", "image", "inject", image.toString(), "--server", "https://f.example",
                "--token", TOKEN, "--ca-cert", ca.toString());
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.err()).contains("not logged in to https://f.example").contains("--force-offline")
                .doesNotContain("A1b2C3");
        assertThat(sha(image)).isEqualTo(before);
        // when forced: warned and written
        CliRun forced = CliRun.run(config(), "", "image", "inject", image.toString(), "--server", "https://f.example",
                "--token", TOKEN, "--ca-cert", ca.toString(), "--force-offline");
        assertThat(forced.exit()).as(forced.toString()).isZero();
        assertThat(forced.err()).contains("warning: cannot check token flt_abcdef1234_********");
        assertThat(forced.out()).contains("injected into").doesNotContain("A1b2C3");
        assertThat(ImageFixture.mtype(image, BootFiles.PROVISIONING)).isNotEmpty();
    }

    @Test
    void injectWarnsForPlainHttpAndReadsTheWifiPassphraseFromStdin() throws IOException {
        Path image = ImageFixture.piImage(dir);
        Path key = Files.writeString(dir.resolve("id.pub"), "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFleet ops@lab\n");
        CliRun r = CliRun.run(config(), "correct horse battery\n", "image", "inject", image.toString(), "--server", "http://10.0.0.5:8080",
                "--token", TOKEN, "--wifi-ssid", "Lab", "--wifi-psk-stdin", "--wifi-country", "DE", "--hostname-pattern", "lab-{serial}",
                "--ssh-authorized-key", key.toString(), "--force-offline");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.err()).contains("is plain HTTP");
        // then image show prints it all with secrets masked
        CliRun show = CliRun.run(config(), "", "image", "show", image.toString());
        assertThat(show.exit()).as(show.toString()).isZero();
        assertThat(show.out()).contains("0x0c", "FAT32", "0x83", "Linux", "serverUrl: http://10.0.0.5:8080",
                "token: flt_abcdef1234_********", "hostnamePattern: lab-{serial}", "ssid Lab, psk ********, country DE",
                "1 key(s)", "ops@lab");
        assertThat(show.out()).doesNotContain("A1b2C3", "correct horse");
        assertThat(new String(ImageFixture.mtype(image, BootFiles.WIFI))).doesNotContain("correct horse");
        CliRun json = CliRun.run(config(), "", "image", "show", "--output", "json", image.toString());
        assertThat(json.out()).contains("\"token\" : \"flt_abcdef1234_********\"").doesNotContain("A1b2C3");
    }

    @Test
    void injectNamesTheHostnamePatternTheAgentWouldReject() throws IOException {
        Path image = ImageFixture.piImage(dir);
        CliRun r = CliRun.run(config(), "", "image", "inject", image.toString(), "--server", "https://f.example", "--token", TOKEN,
                "--hostname-pattern", "fleet-{serial6}", "--force-offline");
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("--hostname-pattern:");
    }

    @Test
    void aForeignImageIsRefusedWithExit1AndAReason() throws IOException {
        Path text = Files.writeString(dir.resolve("readme.img"), "x".repeat(2000));
        CliRun r = CliRun.run(config(), "", "image", "inject", text.toString(), "--server", "https://f.example", "--token", TOKEN,
                "--force-offline");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("error: refused: not a disk image: no MBR signature 0x55AA");
        assertThat(Files.readString(text)).isEqualTo("x".repeat(2000));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String sha(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
