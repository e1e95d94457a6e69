package dev.fleetlet.server.broker;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A client directory for broker tests with credentials registered by the test, replacing the registry
 * only when {@code fleetlet.test.broker-fixtures=true}.
 */
@Singleton
@Replaces(ClientDirectory.class)
@Requires(property = "fleetlet.test.broker-fixtures", value = "true")
public class TestClientDirectory implements ClientDirectory {

    private record Entry(ClientPrincipal principal, byte[] secret) {
    }

    private final Map<String, Entry> byUsername = new ConcurrentHashMap<>();
    private volatile long delayMillis;
    private final java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();

    /** Makes every answer take this long (a slow registry or slow hashing). */
    public void answerAfter(java.time.Duration delay) {
        this.delayMillis = delay.toMillis();
    }

    /** Answers given so far (after their delay). */
    public int answered() {
        return answered.get();
    }

    public void addDevice(String deviceId, String secret) {
        byUsername.put(deviceId, new Entry(new ClientPrincipal.Device(deviceId), secret.getBytes(StandardCharsets.UTF_8)));
    }

    public void addReader(String account, String secret) {
        byUsername.put(account, new Entry(new ClientPrincipal.TelemetryReader(account), secret.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public Optional<ClientPrincipal> authenticate(String clientId, String username, byte[] password) {
        try {
            if (delayMillis > 0) {
                Thread.sleep(delayMillis); // simulates slow verification, not a wait for a condition
            }
            return lookUp(username, password);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            answered.incrementAndGet();
        }
    }

    private Optional<ClientPrincipal> lookUp(String username, byte[] password) {
        Entry e = username == null ? null : byUsername.get(username);
        if (e == null || password == null || !MessageDigest.isEqual(e.secret(), password)) {
            return Optional.empty();
        }
        return Optional.of(e.principal());
    }
}
