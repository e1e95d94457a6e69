package dev.fleetlet.provisioning.image;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A WPA2 personal (PSK) Wi-Fi network as written to the boot partition: the SSID and the 256-bit
 * pre-shared key derived from the passphrase (PBKDF2-HMAC-SHA1, 4096 rounds, the SSID as salt, as
 * {@code wpa_passphrase} does), so the passphrase itself is never stored.
 *
 * @param ssid    network name, 1-32 bytes UTF-8
 * @param pskHex  64 lowercase hex digits
 * @param country ISO 3166 alpha-2 regulatory domain, optional
 */
public record WifiNetwork(String ssid, String pskHex, Optional<String> country) {

    public WifiNetwork {
        int len = ssid.getBytes(StandardCharsets.UTF_8).length;
        if (len < 1 || len > 32) {
            throw new IllegalArgumentException("--wifi-ssid: must be 1 to 32 bytes, got " + len);
        }
        if (!pskHex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("Wi-Fi PSK must be 64 hex digits");
        }
        country.ifPresent(c -> {
            if (!c.matches("[A-Z]{2}")) {
                throw new IllegalArgumentException("--wifi-country: expected two capital letters (ISO 3166), got '" + c + "'");
            }
        });
    }

    /**
     * Derives the network's PSK from a passphrase.
     *
     * @throws IllegalArgumentException when the passphrase is not 8 to 63 printable ASCII characters (the WPA rule)
     */
    public static WifiNetwork fromPassphrase(String ssid, char[] passphrase, Optional<String> country) {
        if (passphrase.length < 8 || passphrase.length > 63) {
            throw new IllegalArgumentException("Wi-Fi passphrase (--wifi-psk-stdin): must be 8 to 63 characters, got " + passphrase.length);
        }
        for (char c : passphrase) {
            if (c < 32 || c > 126) {
                throw new IllegalArgumentException("Wi-Fi passphrase (--wifi-psk-stdin): only printable ASCII characters are allowed");
            }
        }
        try {
            PBEKeySpec spec = new PBEKeySpec(passphrase, ssid.getBytes(StandardCharsets.UTF_8), 4096, 256);
            byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1").generateSecret(spec).getEncoded();
            spec.clearPassword();
            return new WifiNetwork(ssid, HexFormat.of().formatHex(key), country);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA1 unavailable in this JDK", e);
        }
    }

    /** The {@code wpa_supplicant.conf} text (SSID hex-encoded so any byte is safe). */
    public String toWpaSupplicantConf() {
        StringBuilder b = new StringBuilder();
        b.append("# Written by fleetctl image inject. First boot installs it as\n")
                .append("# /etc/wpa_supplicant/wpa_supplicant-wlan0.conf (mode 0600) and removes it from here.\n")
                .append("ctrl_interface=DIR=/run/wpa_supplicant GROUP=netdev\n")
                .append("update_config=0\n");
        country.ifPresent(c -> b.append("country=").append(c).append('\n'));
        b.append("network={\n")
                .append("\tssid=").append(HexFormat.of().formatHex(ssid.getBytes(StandardCharsets.UTF_8))).append('\n')
                .append("\tkey_mgmt=WPA-PSK WPA-PSK-SHA256\n")
                .append("\tpsk=").append(pskHex).append('\n')
                .append("}\n");
        return b.toString();
    }

    /** Parses what {@link #toWpaSupplicantConf()} wrote; empty when the text has no such network block. */
    public static Optional<WifiNetwork> parse(String conf) {
        String ssid = null;
        String psk = null;
        String country = null;
        for (String raw : conf.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("ssid=")) {
                ssid = new String(HexFormat.of().parseHex(line.substring(5)), StandardCharsets.UTF_8);
            } else if (line.startsWith("psk=")) {
                psk = line.substring(4);
            } else if (line.startsWith("country=")) {
                country = line.substring(8);
            }
        }
        if (ssid == null || psk == null) {
            return Optional.empty();
        }
        return Optional.of(new WifiNetwork(ssid, psk, Optional.ofNullable(country)));
    }

    /** Hides the key. */
    @Override
    public String toString() {
        return "WifiNetwork[ssid=" + ssid + ", psk=***, country=" + country.orElse("-") + "]";
    }
}
