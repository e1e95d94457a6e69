package dev.fleetlet.server.release.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the key of {@link SecretCipher} comes from: {@code fleetlet.secrets.key} (base64 of 32 bytes) when set,
 * else {@code <fleetlet.data-dir>/secrets.key}, generated on first use with mode 0600. The log names the file,
 * never the key. A configured key that is not base64 of 32 bytes fails the start naming the key.
 */
public final class SecretKeySource {

    private static final Logger log = LoggerFactory.getLogger(SecretKeySource.class);
    static final String FILE_NAME = "secrets.key";

    private SecretKeySource() {
    }

    /** The key: configured, read from the key file, or generated into it. */
    public static byte[] load(String configured, Path dataDir) {
        if (configured != null && !configured.isBlank()) {
            return decode(configured.strip(), "fleetlet.secrets.key");
        }
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (Files.exists(file)) {
                warnIfReadableByOthers(file);
                return decode(Files.readString(file, StandardCharsets.US_ASCII).strip(), file.toString());
            }
            byte[] key = new byte[SecretCipher.KEY_BYTES];
            new SecureRandom().nextBytes(key);
            Files.createDirectories(dataDir);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
            Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
            log.info("secrets key generated keyFile={}", file.toAbsolutePath().normalize());
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file + " (fleetlet.data-dir; or set fleetlet.secrets.key)", e);
        }
    }

    private static byte[] decode(String text, String source) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": not base64 (expected base64 of " + SecretCipher.KEY_BYTES + " random bytes)");
        }
        if (key.length != SecretCipher.KEY_BYTES) {
            throw new IllegalArgumentException(source + ": decodes to " + key.length + " bytes, expected " + SecretCipher.KEY_BYTES);
        }
        return key;
    }

    private static void warnIfReadableByOthers(Path file) throws IOException {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
            log.warn("secrets key file readable by group or others keyFile={} permissions={} (chmod 600 it)",
                    file.toAbsolutePath().normalize(), PosixFilePermissions.toString(perms));
        }
    }
}
