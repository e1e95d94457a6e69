package dev.fleetlet.provisioning.image;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything {@code fleetctl image inject} writes to a boot partition (see provisioning/README.md, "boot
 * partition contract"). Validated on construction with messages naming the option; secrets are hidden by
 * {@link #toString()}.
 *
 * @param serverUrl          fleet server base URL (http or https with a host)
 * @param token              provisioning token {@code flt_<id>_<secret>}
 * @param caCertificatePem   PEM of the CA for the server's TLS certificate
 * @param hostnamePattern    host name pattern, {@code {serial}} replaced by the agent
 * @param wifi               Wi-Fi network for first boot
 * @param sshAuthorizedKeys  OpenSSH authorized_keys lines; presence turns SSH on at first boot
 */
public record BootSettings(URI serverUrl, String token, Optional<String> caCertificatePem,
                           Optional<String> hostnamePattern, Optional<WifiNetwork> wifi,
                           Optional<String> sshAuthorizedKeys) {

    /** The token format the fleet server issues. */
    public static final Pattern TOKEN = Pattern.compile("flt_([a-z0-9]{10})_([A-Za-z0-9]{32})");
    private static final Pattern HOSTNAME = Pattern.compile("[a-z0-9{}-]{1,63}");
    private static final Set<String> KEY_TYPES = Set.of("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256",
            "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com");

    public BootSettings {
        if (serverUrl.getScheme() == null || !Set.of("http", "https").contains(serverUrl.getScheme()) || serverUrl.getHost() == null) {
            throw new IllegalArgumentException("--server: expected an http or https URL with a host, got '" + serverUrl + "'");
        }
        if (!TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException("--token: expected a provisioning token flt_<10 characters>_<32 characters> "
                    + "as printed by 'fleetctl token create'");
        }
        caCertificatePem.ifPresent(pem -> certificates(pem));
        hostnamePattern.ifPresent(p -> {
            if (!HOSTNAME.matcher(p).matches() || p.replace("{serial}", "").contains("{") || p.replace("{serial}", "").contains("}")) {
                throw new IllegalArgumentException("--hostname-pattern: expected lowercase letters, digits, dashes and {serial} "
                        + "(at most 63 characters), got '" + p + "'");
            }
        });
        sshAuthorizedKeys.ifPresent(BootSettings::checkAuthorizedKeys);
    }

    /** The token's id part (not secret). */
    public String tokenId() {
        java.util.regex.Matcher m = TOKEN.matcher(token);
        return m.matches() ? m.group(1) : "?";
    }

    /** The token with its secret part masked, for listings. */
    public static String maskToken(String token) {
        java.util.regex.Matcher m = TOKEN.matcher(token == null ? "" : token);
        return m.matches() ? "flt_" + m.group(1) + "_********" : "******** (not a provisioning token)";
    }

    /**
     * Parses PEM certificates.
     *
     * @throws IllegalArgumentException naming {@code --ca-cert} when the text holds no X.509 certificate
     */
    public static List<X509Certificate> certificates(String pem) {
        try {
            List<X509Certificate> certs = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                certs.add((X509Certificate) c);
            }
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("--ca-cert: expected at least one PEM certificate, found none");
            }
            return certs;
        } catch (CertificateException e) {
            throw new IllegalArgumentException("--ca-cert: expected PEM X.509 certificates: " + e.getMessage(), e);
        }
    }

    /** Parses a URL as {@code --server} takes it. */
    public static URI serverUri(String text) {
        try {
            URI uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            if (uri.getScheme() == null || !Set.of("http", "https").contains(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("--server: expected an http or https URL with a host, got '" + text + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--server: expected a URL, got '" + text + "'", e);
        }
    }

    private static void checkAuthorizedKeys(String text) {
        int keys = 0;
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] words = l.split("\\s+");
            boolean known = false;
            for (int i = 0; i + 1 < words.length && !known; i++) { // options may precede the key type
                known = KEY_TYPES.contains(words[i]);
            }
            if (!known) {
                throw new IllegalArgumentException("--ssh-authorized-key: line " + (keys + 1) + " is not an OpenSSH public key "
                        + "(expected e.g. 'ssh-ed25519 AAAA... comment')");
            }
            keys++;
        }
        if (keys == 0) {
            throw new IllegalArgumentException("--ssh-authorized-key: the file holds no public key");
        }
    }

    @Override
    public String toString() {
        return "BootSettings[serverUrl=" + serverUrl + ", token=" + maskToken(token) + ", ca=" + caCertificatePem.isPresent()
                + ", hostnamePattern=" + hostnamePattern.orElse("-") + ", wifi=" + wifi.map(WifiNetwork::ssid).orElse("-")
                + ", ssh=" + sshAuthorizedKeys.isPresent() + "]";
    }
}
