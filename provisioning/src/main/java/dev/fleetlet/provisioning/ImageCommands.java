package dev.fleetlet.provisioning;

import dev.fleetlet.provisioning.image.BootSettings;
import dev.fleetlet.provisioning.image.WifiNetwork;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fleetctl image inject|show}: provisioning settings on an image's FAT boot partition. */
@Command(name = "image", description = "Provisioning settings on an image's boot partition (no root, no mounting).",
        subcommands = {ImageCommands.Inject.class, ImageCommands.Show.class})
final class ImageCommands {

    @Command(name = "inject", description = {
            "Write the provisioning settings into the FAT boot partition of a raw image (.img), an xz image (.img.xz) "
                    + "or an SD card (block device, not mounted).",
            "The token is checked against the server with your 'fleetctl login' profile for --server: an expired, "
                    + "revoked, exhausted or unknown token is refused. When the check cannot be made (server unreachable, "
                    + "no profile) the injection is refused unless --force-offline is given."})
    static final class Inject implements Runnable {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "IMAGE", description = "image file (.img, .img.xz) or block device")
        Path image;
        @Option(names = "--server", required = true, description = "fleet server URL the board enrolls with")
        String server;
        @Option(names = "--token", required = true, description = "provisioning token flt_<id>_<secret> ('fleetctl token create')")
        String token;
        @Option(names = "--ca-cert", paramLabel = "PEM", description = "CA certificate (PEM file) for the server's TLS certificate")
        Path caCert;
        @Option(names = "--wifi-ssid", description = "Wi-Fi network name (WPA-PSK); needs --wifi-psk-stdin")
        String wifiSsid;
        @Option(names = "--wifi-psk-stdin", description = "read the Wi-Fi passphrase from the first line of standard input")
        boolean wifiPskStdin;
        @Option(names = "--wifi-country", description = "Wi-Fi regulatory domain, ISO 3166 code, e.g. DE")
        String wifiCountry;
        @Option(names = "--hostname-pattern", description = "host name pattern, {serial} is replaced by the board's serial, e.g. fleet-{serial}")
        String hostnamePattern;
        @Option(names = "--ssh-authorized-key", paramLabel = "FILE", description = "OpenSSH public key(s); SSH is enabled on first boot only with this")
        Path sshKey;
        @Option(names = "--output", paramLabel = "OUT", description = "write to OUT instead of replacing IMAGE (.xz suffix: compressed)")
        Path output;
        @Option(names = "--force-offline", description = "inject even when the token cannot be checked (server unreachable, not logged in)")
        boolean forceOffline;

        @Override
        public void run() {
            Fleetctl root = (Fleetctl) spec.root().userObject();
            var err = spec.commandLine().getErr();
            URI url = BootSettings.serverUri(server);
            if (wifiSsid != null && !wifiPskStdin) {
                throw new IllegalArgumentException("--wifi-ssid needs --wifi-psk-stdin (open networks are not supported)");
            }
            if (wifiPskStdin && wifiSsid == null) {
                throw new IllegalArgumentException("--wifi-psk-stdin needs --wifi-ssid");
            }
            Optional<WifiNetwork> wifi = Optional.empty();
            if (wifiSsid != null) {
                char[] psk = root.readStdinLine("--wifi-psk-stdin").toCharArray();
                wifi = Optional.of(WifiNetwork.fromPassphrase(wifiSsid, psk, Optional.ofNullable(wifiCountry)));
                java.util.Arrays.fill(psk, '\0');
            } else if (wifiCountry != null) {
                throw new IllegalArgumentException("--wifi-country needs --wifi-ssid");
            }
            BootSettings settings = new BootSettings(url, token.strip(),
                    Optional.ofNullable(caCert).map(LoginCommand::readPem), Optional.ofNullable(hostnamePattern), wifi,
                    Optional.ofNullable(sshKey).map(Inject::readKeys));
            if ("http".equals(url.getScheme())) {
                err.println("warning: " + url + " is plain HTTP: the token and the device's credentials travel unencrypted; use https");
            }
            new TokenCheck(root, spec.commandLine().getOut(), err).check(settings, forceOffline);
            Path written = root.images().inject(image, Optional.ofNullable(output), settings);
            var out = spec.commandLine().getOut();
            out.println("injected into " + written + ": server " + url + ", token " + BootSettings.maskToken(settings.token())
                    + settings.caCertificatePem().map(c -> ", CA certificate").orElse("")
                    + settings.hostnamePattern().map(p -> ", hostname pattern " + p).orElse("")
                    + settings.wifi().map(w -> ", Wi-Fi " + w.ssid()).orElse("")
                    + settings.sshAuthorizedKeys().map(k -> ", SSH key(s)").orElse(""));
            out.flush();
        }

        private static String readKeys(Path file) {
            try {
                return Files.readString(file);
            } catch (IOException e) {
                throw new IllegalArgumentException("--ssh-authorized-key: cannot read " + file + ": " + e.getMessage(), e);
            }
        }
    }

    @Command(name = "show", description = "Print the partition table and the provisioning settings on the boot partition (secrets masked).")
    static final class Show implements Runnable {
        @Spec
        CommandSpec spec;
        @Mixin
        Output output;
        @Parameters(paramLabel = "IMAGE", description = "image file (.img, .img.xz) or block device")
        Path image;

        @Override
        public void run() {
            Fleetctl root = (Fleetctl) spec.root().userObject();
            ImageReport.print(spec.commandLine().getOut(), image, root.images().show(image), output.json());
        }
    }
}
