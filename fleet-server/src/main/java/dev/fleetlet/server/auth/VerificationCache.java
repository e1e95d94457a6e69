package dev.fleetlet.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers successful slow-hash verifications so that reconnects and repeated HTTP Basic logins cost one
 * SHA-256 instead of one PBKDF2. An entry is keyed by principal and holds the stored slow hash it was
 * verified against plus SHA-256(process salt, secret); it only matches while the stored hash is unchanged,
 * so a credential change invalidates it by itself, and {@link #invalidate} drops it at once (decommission,
 * deletion). The process salt is random per instance, so the cache content is useless outside this process.
 * Bounded: when {@code maxEntries} is reached the cache is cleared (entries are cheap to rebuild).
 */
public final class VerificationCache {

    private record Entry(String storedHash, byte[] fastDigest) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final byte[] processSalt = new byte[32];
    private final int maxEntries;

    public VerificationCache(int maxEntries) {
        this.maxEntries = maxEntries;
        new SecureRandom().nextBytes(processSalt);
    }

    /** Whether {@code secret} was verified before against exactly {@code storedHash}; constant-time compare. */
    public boolean matches(String principal, String storedHash, String secret) {
        Entry e = entries.get(principal);
        if (e == null || storedHash == null || !e.storedHash().equals(storedHash)) {
            return false;
        }
        return MessageDigest.isEqual(e.fastDigest(), digest(secret));
    }

    /** Records a successful slow verification. */
    public void remember(String principal, String storedHash, String secret) {
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        entries.put(principal, new Entry(storedHash, digest(secret)));
    }

    /** Forgets a principal (credential revoked or changed). */
    public void invalidate(String principal) {
        entries.remove(principal);
    }

    public int size() {
        return entries.size();
    }

    private byte[] digest(String secret) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(processSalt);
            md.update(secret.getBytes(StandardCharsets.UTF_8));
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
