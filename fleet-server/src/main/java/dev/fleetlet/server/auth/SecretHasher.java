package dev.fleetlet.server.auth;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.concurrent.Semaphore;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted slow hashing of secrets (user passwords, device secrets, token and service-account secrets) with
 * PBKDF2-HMAC-SHA256 from the JDK. The stored form is self-describing,
 * {@code pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>}, so the iteration count
 * can change without invalidating old hashes. Two costs: {@link #hash} for human-chosen passwords
 * ({@code fleetlet.security.pbkdf2-iterations}, default 120000, ~75 ms here) and {@link #hashMachineSecret} for
 * machine-generated secrets of at least 32 random characters (device secrets, tokens, service-account secrets;
 * {@code fleetlet.security.machine-secret-pbkdf2-iterations}, default 10000), where the entropy of the secret,
 * not the hash cost, is the protection, and where a broker restart makes every device authenticate at once.
 * Verification compares in constant time. Hashing costs tens of milliseconds by design: call it off the
 * event loop and put a {@link VerificationCache} in front of hot paths.
 *
 * <p>At most {@code fleetlet.security.hash-concurrency} slow hashes run at once (default: half the CPU cores,
 * at least 1); further callers wait their turn. In an enrollment burst of thousands of devices the hashing
 * would otherwise take every core (16 HTTP worker threads) and starve the telemetry writer and the broker;
 * bounded, enrollment takes longer but ingestion keeps a core.
 */
@Singleton
public class SecretHasher {

    private static final String PREFIX = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int KEY_BITS = 256;

    private final int iterations;
    private final int machineIterations;
    private final SecureRandom random = new SecureRandom();
    private final Semaphore slots;

    /** Same cost for passwords and machine secrets (tests, tools). */
    public SecretHasher(int iterations) {
        this(iterations, iterations, 0);
    }

    /** Separate costs, default concurrency (tests, tools). */
    public SecretHasher(int iterations, int machineIterations) {
        this(iterations, machineIterations, 0);
    }

    @jakarta.inject.Inject
    public SecretHasher(@Value("${fleetlet.security.pbkdf2-iterations:120000}") int iterations,
                        @Value("${fleetlet.security.machine-secret-pbkdf2-iterations:10000}") int machineIterations,
                        @Value("${fleetlet.security.hash-concurrency:0}") int concurrency) {
        if (concurrency < 0 || concurrency > 1024) {
            throw new IllegalArgumentException("fleetlet.security.hash-concurrency must be between 0 (half the CPU cores) "
                    + "and 1024, was " + concurrency);
        }
        this.slots = new Semaphore(concurrency > 0 ? concurrency
                : Math.max(1, Runtime.getRuntime().availableProcessors() / 2), true);
        if (iterations < 1000) {
            throw new IllegalArgumentException("fleetlet.security.pbkdf2-iterations must be >= 1000, was " + iterations);
        }
        if (machineIterations < 1000) {
            throw new IllegalArgumentException("fleetlet.security.machine-secret-pbkdf2-iterations must be >= 1000, was "
                    + machineIterations);
        }
        this.iterations = iterations;
        this.machineIterations = machineIterations;
    }

    /** Hashes a human-chosen password with a fresh random salt and the full cost. */
    public String hash(String secret) {
        return hash(secret, iterations);
    }

    /** Hashes a machine-generated high-entropy secret (at least 32 random characters) with the lower cost. */
    public String hashMachineSecret(String secret) {
        return hash(secret, machineIterations);
    }

    private String hash(String secret, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] dk = derive(secret, salt, iterations);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return PREFIX + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(dk);
    }

    /** Whether {@code secret} matches {@code stored}; false (never an exception) for a malformed stored hash. */
    public boolean verify(String secret, String stored) {
        if (secret == null || stored == null) {
            return false;
        }
        String[] parts = stored.split("\\$");
        if (parts.length != 4 || !PREFIX.equals(parts[0])) {
            return false;
        }
        try {
            int iter = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            return MessageDigest.isEqual(expected, derive(secret, salt, iter));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private byte[] derive(String secret, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(), salt, iterations, KEY_BITS);
        slots.acquireUninterruptibly();
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable in this JDK", e);
        } finally {
            slots.release();
            spec.clearPassword();
        }
    }

    /** Decodes MQTT password bytes as UTF-8 (the protocol's secrets are ASCII). */
    public static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
