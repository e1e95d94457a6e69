package dev.fleetlet.server.auth;

import java.security.SecureRandom;

/**
 * Random identifiers and secrets. Ids use lowercase letters and digits (they appear in URLs, device ids
 * and token prefixes); secrets carry at least 190 bits of entropy.
 */
public final class Secrets {

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final String SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /** A random lowercase alphanumeric id of {@code length} characters. */
    public static String id(int length) {
        return random(ALPHABET, length);
    }

    /** A random 32-character alphanumeric secret (~190 bits). */
    public static String secret() {
        return random(SECRET_ALPHABET, 32);
    }

    private static String random(String alphabet, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
