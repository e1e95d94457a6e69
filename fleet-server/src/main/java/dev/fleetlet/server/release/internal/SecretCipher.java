package dev.fleetlet.server.release.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts small secrets (registry passwords and tokens) for storage: AES-256-GCM with a random 96-bit IV per
 * value and the owning row's identity (the registry host) as associated data, so a ciphertext copied to
 * another row does not decrypt. Stored form: {@code v1:<base64 iv>:<base64 ciphertext+tag>}.
 *
 * <p>Decryption fails with {@link IllegalStateException} (message without the secret) when the key is not
 * the one the value was encrypted with or the value was altered.
 */
public final class SecretCipher {

    /** Length of the key in bytes (AES-256). */
    public static final int KEY_BYTES = 32;

    private static final String PREFIX = "v1:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    public SecretCipher(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("secret key must be " + KEY_BYTES + " bytes, got " + key.length);
        }
        this.key = new SecretKeySpec(Arrays.copyOf(key, key.length), "AES");
    }

    /** Encrypts {@code plain}, bound to {@code context} (e.g. the registry host). */
    public String encrypt(String plain, String context) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            Base64.Encoder b64 = Base64.getEncoder();
            return PREFIX + b64.encodeToString(iv) + ":" + b64.encodeToString(sealed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM not available: " + e.getMessage(), e);
        }
    }

    /** Decrypts a value made by {@link #encrypt} with the same key and context. */
    public String decrypt(String stored, String context) {
        if (stored == null || !stored.startsWith(PREFIX)) {
            throw new IllegalStateException("stored secret for " + context + " is not in the v1 format");
        }
        String[] parts = stored.substring(PREFIX.length()).split(":", 2);
        if (parts.length != 2) {
            throw new IllegalStateException("stored secret for " + context + " is malformed");
        }
        try {
            Base64.Decoder b64 = Base64.getDecoder();
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, b64.decode(parts[0])));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(c.doFinal(b64.decode(parts[1])), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("stored secret for " + context
                    + " cannot be decrypted: fleetlet.secrets.key (or <data-dir>/secrets.key) is not the key it was stored with", e);
        }
    }
}
