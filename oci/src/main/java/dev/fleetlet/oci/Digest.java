package dev.fleetlet.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest such as {@code sha256:0123...}. Only sha256 is accepted: it is what every
 * registry Fleetlet talks to produces, and refusing the rest keeps verification uniform.
 */
public record Digest(String algorithm, String hex) {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    public Digest {
        if (!"sha256".equals(algorithm)) {
            throw new IllegalArgumentException("digest algorithm must be sha256, got '" + algorithm + "'");
        }
        if (hex == null || !SHA256_HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("digest hex must be 64 lowercase hex characters, got '" + hex + "'");
        }
    }

    /** Parses {@code sha256:<64 hex>}; throws {@link IllegalArgumentException} naming the bad value. */
    public static Digest parse(String value) {
        if (value == null) {
            throw new IllegalArgumentException("digest is missing");
        }
        int colon = value.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("digest must look like sha256:<hex>, got '" + value + "'");
        }
        return new Digest(value.substring(0, colon), value.substring(colon + 1));
    }

    /** The sha256 digest of the given bytes. */
    public static Digest sha256Of(byte[] content) {
        return fromHash(newSha256().digest(content));
    }

    /** The sha256 digest whose hash bytes are {@code hash} (32 bytes from a {@link #newSha256()} digest). */
    public static Digest fromHash(byte[] hash) {
        return new Digest("sha256", HexFormat.of().formatHex(hash));
    }

    /** A fresh SHA-256 {@link MessageDigest}, for hashing a stream while it is written. */
    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** The first 12 hex characters, for log lines. */
    public String shortHex() {
        return hex.substring(0, 12);
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
