package dev.fleetlet.provisioning.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The boot-partition contract between fleetctl, the agent and the image build: file names in the FAT root
 * and their formats. Rendering and parsing live together so {@code image show} reads back exactly what
 * {@code image inject} wrote.
 */
public final class BootFiles {

    /** The agent's provisioning file ({@code /boot/firmware/fleetlet-provisioning.json} on a running board). */
    public static final String PROVISIONING = "fleetlet-provisioning.json";
    /** wpa_supplicant configuration the image's first boot installs for wlan0. */
    public static final String WIFI = "fleetlet-wifi.conf";
    /** OpenSSH authorized_keys; its presence makes first boot enable SSH. */
    public static final String SSH_KEYS = "fleetlet-ssh-authorized-keys";
    /** Every file fleetctl owns on the boot partition; ones not in a new injection are deleted. */
    public static final List<String> ALL = List.of(PROVISIONING, WIFI, SSH_KEYS);

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BootFiles() {
    }

    /** The files for these settings, name to bytes, in write order. */
    public static Map<String, byte[]> render(BootSettings s) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("serverUrl", s.serverUrl().toString());
        json.put("token", s.token());
        s.caCertificatePem().ifPresent(pem -> json.put("caCertificatePem", pem));
        s.hostnamePattern().ifPresent(p -> json.put("hostnamePattern", p));
        Map<String, byte[]> files = new LinkedHashMap<>();
        try {
            files.put(PROVISIONING, (JSON.writeValueAsString(json) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot render the provisioning file", e);
        }
        s.wifi().ifPresent(w -> files.put(WIFI, w.toWpaSupplicantConf().getBytes(StandardCharsets.UTF_8)));
        s.sshAuthorizedKeys().ifPresent(k -> files.put(SSH_KEYS, (k.endsWith("\n") ? k : k + "\n").getBytes(StandardCharsets.UTF_8)));
        return files;
    }

    /**
     * What a boot partition carries, parsed leniently for display: a broken file is reported, not thrown.
     *
     * @param provisioning the provisioning file's keys (token still in clear: callers mask it), or empty
     * @param problems     files present but unreadable
     */
    public record Found(Optional<JsonNode> provisioning, Optional<WifiNetwork> wifi, Optional<String> sshAuthorizedKeys,
                        List<String> problems) {
    }

    /** Reads the contract files from a FAT partition. */
    public static Found read(Mtools fat) {
        List<String> problems = new java.util.ArrayList<>();
        Optional<JsonNode> prov = fat.read(PROVISIONING).flatMap(bytes -> {
            try {
                JsonNode n = JSON.readTree(bytes);
                return n != null && n.isObject() ? Optional.of(n) : Optional.empty();
            } catch (IOException e) {
                problems.add(PROVISIONING + ": not valid JSON");
                return Optional.empty();
            }
        });
        Optional<WifiNetwork> wifi = fat.read(WIFI).flatMap(bytes -> {
            try {
                return WifiNetwork.parse(new String(bytes, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                problems.add(WIFI + ": " + e.getMessage());
                return Optional.empty();
            }
        });
        Optional<String> ssh = fat.read(SSH_KEYS).map(b -> new String(b, StandardCharsets.UTF_8));
        return new Found(prov, wifi, ssh, problems);
    }
}
