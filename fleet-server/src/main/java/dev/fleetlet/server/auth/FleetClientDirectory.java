package dev.fleetlet.server.auth;

import dev.fleetlet.protocol.Topics;
import dev.fleetlet.server.broker.ClientDirectory;
import dev.fleetlet.server.broker.ClientPrincipal;
import dev.fleetlet.server.device.DeviceCredentials;
import dev.fleetlet.server.device.DeviceRepository;
import dev.fleetlet.server.device.DeviceService;
import dev.fleetlet.server.device.Lifecycle;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's {@link ClientDirectory}: a device authenticates with client id = user name = device id and
 * its enrollment secret; a telemetry reader with its service-account name and secret (any client id).
 * Each check reads the stored hash by primary key (so decommissioning and re-enrollment take effect on the
 * next CONNECT) and compares against a {@link VerificationCache} first: a reconnect costs one indexed read and
 * one SHA-256; only the first CONNECT after a credential change pays for PBKDF2. Never throws.
 */
@Singleton
public class FleetClientDirectory implements ClientDirectory, DeviceService.DecommissionListener {

    private static final Logger log = LoggerFactory.getLogger(FleetClientDirectory.class);

    private final DeviceRepository devices;
    private final ServiceAccountService serviceAccounts;
    private final SecretHasher hasher;
    private final VerificationCache cache = new VerificationCache(200_000);
    private final LongAdder slowVerifications = new LongAdder();

    public FleetClientDirectory(DeviceRepository devices, ServiceAccountService serviceAccounts, SecretHasher hasher) {
        this.devices = devices;
        this.serviceAccounts = serviceAccounts;
        this.hasher = hasher;
    }

    @Override
    public Optional<ClientPrincipal> authenticate(String clientId, String username, byte[] password) {
        if (username == null || password == null || password.length == 0 || password.length > 1024) {
            return Optional.empty();
        }
        try {
            String secret = new String(password, StandardCharsets.UTF_8);
            if (Topics.isValidDeviceId(username)) {
                Optional<DeviceCredentials> creds = devices.credentials(username);
                if (creds.isPresent()) {
                    return username.equals(clientId) && deviceSecretMatches(creds.get(), secret)
                            ? Optional.of(new ClientPrincipal.Device(username)) : Optional.empty();
                }
            }
            if (serviceAccounts.authenticate(username, secret)) {
                return Optional.of(new ClientPrincipal.TelemetryReader(username));
            }
            return Optional.empty();
        } catch (RuntimeException e) {
            log.warn("client authentication failed with an error clientId={} username={}", clientId, username, e);
            return Optional.empty();
        }
    }

    private boolean deviceSecretMatches(DeviceCredentials creds, String secret) {
        if (creds.lifecycle() != Lifecycle.ACTIVE || creds.secretHash() == null) {
            return false;
        }
        if (cache.matches(creds.deviceId(), creds.secretHash(), secret)) {
            return true;
        }
        slowVerifications.increment();
        if (hasher.verify(secret, creds.secretHash())) {
            cache.remember(creds.deviceId(), creds.secretHash(), secret);
            return true;
        }
        return false;
    }

    @Override
    public void decommissioned(String deviceId) {
        cache.invalidate(deviceId);
    }

    /**
     * Records a device secret that was just hashed into {@code secretHash} (enrollment), as if it had been
     * verified: the device's first CONNECT then skips the slow hash. Only valid while the stored hash is
     * exactly {@code secretHash}.
     */
    public void remember(String deviceId, String secretHash, String secret) {
        if (deviceId != null && secretHash != null && secret != null) {
            cache.remember(deviceId, secretHash, secret);
        }
    }

    /** Forgets a device's cached verification (its secret was replaced). */
    public void invalidate(String deviceId) {
        cache.invalidate(deviceId);
    }

    /** Device CONNECTs that needed the slow hash (cache misses) since start, for metrics and tests. */
    public long slowVerifications() {
        return slowVerifications.sum();
    }

    /** Cached verifications, for metrics and tests. */
    public int cachedVerifications() {
        return cache.size();
    }
}
