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

    public void addDevice(String deviceId, String secret) {
        byUsername.put(deviceId, new Entry(new ClientPrincipal.Device(deviceId), secret.getBytes(StandardCharsets.UTF_8)));
    }

    public void addReader(String account, String secret) {
        byUsername.put(account, new Entry(new ClientPrincipal.TelemetryReader(account), secret.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public Optional<ClientPrincipal> authenticate(String clientId, String username, byte[] password) {
        Entry e = username == null ? null : byUsername.get(username);
        if (e == null || password == null || !MessageDigest.isEqual(e.secret(), password)) {
            return Optional.empty();
        }
        return Optional.of(e.principal());
    }
}
