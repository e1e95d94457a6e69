package dev.fleetlet.agent.enroll;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetlet.agent.fs.AtomicFiles;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device's identity on disk, under {@code <dataDir>/identity/}, every file mode 0600 and written
 * atomically:
 * <ul>
 *   <li>{@code device-secret}: generated once, before the first enrollment attempt, and reused by every
 *       later attempt and after every reboot, so a crash between enrolling and storing never leaves the
 *       server with a secret the device forgot;</li>
 *   <li>{@code credentials.json}: device id, broker URI, serial and server time, written when the
 *       server accepted the enrollment. Its presence means "enrolled".</li>
 * </ul>
 */
public final class CredentialStore {

    /** Random bytes in a secret: 32 bytes are 43 base64url characters. */
    public static final int SECRET_BYTES = 32;

    private static final Logger log = LoggerFactory.getLogger(CredentialStore.class);

    private final Path secretFile;
    private final Path credentialsFile;
    private final SecureRandom random;
    private final ObjectMapper json = ProtocolCodec.newMapper();

    public CredentialStore(Path dataDir, SecureRandom random) {
        Path dir = dataDir.resolve("identity");
        this.secretFile = dir.resolve("device-secret");
        this.credentialsFile = dir.resolve("credentials.json");
        this.random = random;
    }

    /** The stored credentials, when the device has enrolled; empty when not (or the file is unreadable). */
    public Optional<DeviceCredentials> load() {
        try {
            JsonNode node = json.readTree(Files.readAllBytes(credentialsFile));
            String secret = existingSecret().orElseThrow(() -> new IOException("device-secret is missing"));
            Instant serverTime = node.hasNonNull("serverTime") ? Instant.parse(node.get("serverTime").asText()) : null;
            return Optional.of(new DeviceCredentials(node.get("deviceId").asText(), secret,
                    URI.create(node.get("mqttUri").asText()), node.get("serial").asText(), serverTime));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            log.error("stored credentials unreadable, enrolling again with the same secret path={} error={}",
                    credentialsFile, e.toString());
            return Optional.empty();
        }
    }

    /**
     * The secret to enroll with: the stored one, or a new one (32 random bytes, base64url) stored before
     * it is returned. Never replaces an existing secret.
     */
    public String secretForEnrollment() {
        Optional<String> existing = existingSecret();
        if (existing.isPresent()) {
            return existing.get();
        }
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        try {
            AtomicFiles.write(secretFile, secret.getBytes(StandardCharsets.US_ASCII), AtomicFiles.OWNER_ONLY);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the device secret in " + secretFile, e);
        }
        log.info("device secret generated path={}", secretFile);
        return secret;
    }

    /** Stores accepted credentials (mode 0600, atomically). */
    public void save(DeviceCredentials credentials) {
        ObjectNode node = json.createObjectNode();
        node.put("deviceId", credentials.deviceId());
        node.put("mqttUri", credentials.mqttUri().toString());
        node.put("serial", credentials.serial());
        if (credentials.serverTime() != null) {
            node.put("serverTime", credentials.serverTime().toString());
        }
        try {
            AtomicFiles.write(credentialsFile, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(node),
                    AtomicFiles.OWNER_ONLY);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store credentials in " + credentialsFile, e);
        }
    }

    private Optional<String> existingSecret() {
        try {
            String s = Files.readString(secretFile, StandardCharsets.US_ASCII).trim();
            return s.length() >= 32 ? Optional.of(s) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
