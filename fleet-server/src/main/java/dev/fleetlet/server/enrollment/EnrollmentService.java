package dev.fleetlet.server.enrollment;

import dev.fleetlet.protocol.message.EnrollmentRequest;
import dev.fleetlet.protocol.message.EnrollmentResponse;
import dev.fleetlet.server.api.ApiException;
import dev.fleetlet.server.api.ErrorCode;
import dev.fleetlet.server.api.Page;
import dev.fleetlet.server.auth.FleetClientDirectory;
import dev.fleetlet.server.auth.SecretHasher;
import dev.fleetlet.server.auth.Secrets;
import dev.fleetlet.server.db.DuplicateKeyException;
import dev.fleetlet.server.db.Jdbc;
import dev.fleetlet.server.device.Device;
import dev.fleetlet.server.device.DeviceCredentials;
import dev.fleetlet.server.device.DeviceHardware;
import dev.fleetlet.server.device.DeviceRepository;
import dev.fleetlet.server.device.NewDevice;
import dev.fleetlet.server.enrollment.ca.FleetCa;
import dev.fleetlet.server.enrollment.internal.PendingStore;
import dev.fleetlet.server.events.EventBus;
import dev.fleetlet.server.events.EventTypes;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Zero-touch enrollment. A device presents a provisioning token, its serial, a secret it generated and its
 * hardware facts:
 * <ol>
 *   <li>the token must match (else 401) and be neither revoked nor expired (401);</li>
 *   <li>a known serial is re-enrolled idempotently: same device id, the new secret replaces the old one
 *       (a decommissioned serial is refused, 403);</li>
 *   <li>an unknown serial needs a token with uses left (401) and passes the policy: auto-accept, allowlist
 *       (403 when not listed) or manual (202 pending until an operator approves; 403 once rejected).</li>
 * </ol>
 * Only a salted hash of the device secret is stored. A request with a {@code csr} (opt-in certificate credential)
 * is checked before anything else (400 naming {@code csr} when it is not a signed PKCS#10 request for an accepted
 * key); an accepted enrollment then also gets a client certificate from the fleet CA ({@link DeviceCertificates}),
 * re-issued at every accepted re-enrollment that carries a CSR. All of it is blocking (slow hash, database): callers run
 * it on the blocking executor.
 */
@Singleton
public class EnrollmentService {

    private static final Logger log = LoggerFactory.getLogger(EnrollmentService.class);

    private final ProvisioningTokenService tokens;
    private final DeviceRepository devices;
    private final AllowlistService allowlist;
    private final PendingStore pending;
    private final SecretHasher hasher;
    private final EventBus events;
    private final MqttEndpoint mqtt;
    private final Jdbc jdbc;
    private final Clock clock;
    private final EnrollmentPolicy policy;
    private final int retryAfterSeconds;
    private final Optional<FleetClientDirectory> credentialCache;
    private final DeviceCertificates certificates;

    public EnrollmentService(ProvisioningTokenService tokens, DeviceRepository devices, AllowlistService allowlist,
                             PendingStore pending, SecretHasher hasher, EventBus events, MqttEndpoint mqtt, Jdbc jdbc,
                             Clock clock, @Value("${fleetlet.enrollment.policy:auto-accept}") String policy,
                             @Value("${fleetlet.enrollment.retry-after-seconds:60}") int retryAfterSeconds,
                             Optional<FleetClientDirectory> credentialCache, DeviceCertificates certificates) {
        this.credentialCache = credentialCache;
        this.certificates = certificates;
        this.tokens = tokens;
        this.devices = devices;
        this.allowlist = allowlist;
        this.pending = pending;
        this.hasher = hasher;
        this.events = events;
        this.mqtt = mqtt;
        this.jdbc = jdbc;
        this.clock = clock;
        this.policy = EnrollmentPolicy.parse(policy);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public EnrollmentPolicy policy() {
        return policy;
    }

    /** Runs an enrollment; refusals are {@link ApiException}s with the codes listed in the class comment. */
    public EnrollmentResponse enroll(EnrollmentRequest request) {
        if (request.csr() != null) {
            try {
                FleetCa.check(request.csr());
            } catch (IllegalArgumentException e) {
                String message = e.getMessage().startsWith("csr: ") ? e.getMessage().substring(5) : e.getMessage();
                log.info("enrollment refused serial={} reason=bad-csr detail={}", request.serial(), message);
                throw ApiException.field(ErrorCode.VALIDATION_FAILED, "csr", message);
            }
        }
        ProvisioningToken token = tokens.check(request.token())
                .orElseThrow(() -> new ApiException(ErrorCode.ENROLLMENT_TOKEN_INVALID, "provisioning token unknown or wrong"))
                .token();
        if (token.state() == ProvisioningToken.State.REVOKED || token.state() == ProvisioningToken.State.EXPIRED) {
            log.info("enrollment refused serial={} tokenId={} tokenState={}", request.serial(), token.id(), token.state());
            throw new ApiException(ErrorCode.ENROLLMENT_TOKEN_INVALID, "provisioning token " + token.state().name().toLowerCase());
        }
        DeviceHardware hw = DeviceHardware.from(request.hardware());
        Optional<Device> known = devices.findBySerial(request.serial());
        if (known.isPresent()) {
            return reenroll(known.get(), token, request, hw);
        }
        if (token.state() == ProvisioningToken.State.EXHAUSTED) {
            log.info("enrollment refused serial={} tokenId={} tokenState=EXHAUSTED", request.serial(), token.id());
            throw new ApiException(ErrorCode.ENROLLMENT_TOKEN_INVALID, "provisioning token exhausted");
        }
        return switch (policy) {
            case AUTO_ACCEPT -> create(token, request, hw);
            case ALLOWLIST -> {
                if (!allowlist.contains(request.serial())) {
                    log.info("enrollment refused serial={} reason=not-on-allowlist", request.serial());
                    throw new ApiException(ErrorCode.SERIAL_NOT_ALLOWED, "serial '" + request.serial() + "' is not on the allowlist");
                }
                yield create(token, request, hw);
            }
            case MANUAL -> queue(token, request, hw);
        };
    }

    private EnrollmentResponse reenroll(Device device, ProvisioningToken token, EnrollmentRequest request, DeviceHardware hw) {
        if (device.decommissioned()) {
            throw new ApiException(ErrorCode.DEVICE_DECOMMISSIONED, "serial '" + request.serial() + "' belongs to decommissioned device '"
                    + device.id() + "'");
        }
        if (!device.fleet().equals(token.fleet())) {
            throw new ApiException(ErrorCode.FORBIDDEN, "serial '" + request.serial() + "' is enrolled in another fleet");
        }
        Optional<String> stored = devices.credentials(device.id()).map(DeviceCredentials::secretHash);
        if (stored.isEmpty() || !hasher.verify(request.deviceSecret(), stored.get())) {
            String secretHash = hasher.hashMachineSecret(request.deviceSecret());
            jdbc.tx(c -> {
                devices.replaceCredentials(device.id(), secretHash, hw, clock.instant());
                events.publish(EventTypes.REENROLLED, device.id(), Map.of("tokenId", token.id()));
                return null;
            });
            primeCredentialCache(device.id(), secretHash, request.deviceSecret());
            log.info("device re-enrolled with a new secret deviceId={} serial={} tokenId={}", device.id(), request.serial(), token.id());
        } else {
            log.info("device re-enrolled, secret unchanged deviceId={} serial={}", device.id(), request.serial());
        }
        return accepted(device.id(), request);
    }

    private EnrollmentResponse create(ProvisioningToken token, EnrollmentRequest request, DeviceHardware hw) {
        String secretHash = hasher.hashMachineSecret(request.deviceSecret());
        String id = newDeviceId();
        try {
            jdbc.tx(c -> {
                if (!tokens.consume(c, token.id())) {
                    throw new ApiException(ErrorCode.ENROLLMENT_TOKEN_INVALID, "provisioning token exhausted");
                }
                insertDevice(id, request.serial(), token.fleet(), hw, secretHash, token.id());
                return null;
            });
        } catch (DuplicateKeyException e) {
            // a concurrent request enrolled the same serial first: answer as a re-enrollment
            Device winner = devices.findBySerial(request.serial()).orElseThrow(() -> e);
            return reenroll(winner, token, request, hw);
        }
        primeCredentialCache(id, secretHash, request.deviceSecret());
        log.info("device enrolled deviceId={} serial={} fleet={} tokenId={} policy={}", id, request.serial(), token.fleet(),
                token.id(), policy);
        return accepted(id, request);
    }

    /**
     * The secret was just hashed here: tell the MQTT credential check, so the device's first CONNECT costs one
     * SHA-256 instead of a second PBKDF2 (in a start-up burst that halves the slow-hash work).
     */
    private void primeCredentialCache(String deviceId, String secretHash, String secret) {
        credentialCache.ifPresent(c -> c.remember(deviceId, secretHash, secret));
    }

    private void insertDevice(String id, String serial, String fleet, DeviceHardware hw, String secretHash, String via) {
        devices.insert(new NewDevice(id, serial, serial, fleet, Map.of(), hw, secretHash, clock.instant()));
        events.publish(EventTypes.ENROLLED, id, Map.of("serial", serial, "fleet", fleet, "via", via));
    }

    private EnrollmentResponse queue(ProvisioningToken token, EnrollmentRequest request, DeviceHardware hw) {
        Optional<PendingEnrollment> existing = pending.bySerial(request.serial());
        Instant now = clock.instant();
        String hash = hasher.hashMachineSecret(request.deviceSecret());
        if (existing.isEmpty()) {
            String id = Secrets.id(12);
            try {
                pending.insert(id, request.serial(), token.id(), token.fleet(), hash, hw, now);
                events.publish(EventTypes.ENROLLMENT_PENDING, null, Map.of("pendingId", id, "serial", request.serial()));
                log.info("enrollment pending approval pendingId={} serial={} tokenId={}", id, request.serial(), token.id());
            } catch (DuplicateKeyException e) {
                pending.bySerial(request.serial()).ifPresent(p -> pending.refresh(p.id(), token.id(), hash, hw, now));
            }
        } else if (existing.get().state() == PendingEnrollment.State.REJECTED) {
            throw new ApiException(ErrorCode.ENROLLMENT_REJECTED, "enrollment of serial '" + request.serial() + "' was rejected");
        } else {
            pending.refresh(existing.get().id(), token.id(), hash, hw, now);
        }
        return new EnrollmentResponse(EnrollmentResponse.Status.PENDING, null, null, now, retryAfterSeconds);
    }

    /** Approves a pending request: creates the device with the secret the device sent. */
    public Device approve(String pendingId, String by) {
        String deviceId = newDeviceId();
        PendingEnrollment p = jdbc.tx(c -> {
            PendingEnrollment req = pendingOrThrow(pendingId);
            if (req.state() != PendingEnrollment.State.PENDING) {
                throw new ApiException(ErrorCode.CONFLICT, "enrollment '" + pendingId + "' is already " + req.state().name().toLowerCase());
            }
            if (devices.findBySerial(req.serial()).isPresent()) {
                throw new ApiException(ErrorCode.CONFLICT, "serial '" + req.serial() + "' is already enrolled");
            }
            Jdbc.update(c, "UPDATE provisioning_tokens SET uses = uses + 1 WHERE id = ?", req.tokenId());
            insertDevice(deviceId, req.serial(), req.fleet(), req.hardware(), pending.secretHash(pendingId).orElseThrow(),
                    req.tokenId());
            pending.decide(pendingId, PendingEnrollment.State.APPROVED, by, deviceId, clock.instant());
            return req;
        });
        log.info("enrollment approved pendingId={} serial={} deviceId={} by={}", pendingId, p.serial(), deviceId, by);
        return devices.find(deviceId).orElseThrow();
    }

    /** Rejects a pending request; the serial's later attempts get 403. */
    public PendingEnrollment reject(String pendingId, String by) {
        PendingEnrollment req = pendingOrThrow(pendingId);
        if (!pending.decide(pendingId, PendingEnrollment.State.REJECTED, by, null, clock.instant())) {
            throw new ApiException(ErrorCode.CONFLICT, "enrollment '" + pendingId + "' is already " + req.state().name().toLowerCase());
        }
        log.info("enrollment rejected pendingId={} serial={} by={}", pendingId, req.serial(), by);
        return pendingOrThrow(pendingId);
    }

    public Page<PendingEnrollment> pending(int page, int size) {
        Page.check(page, size);
        return pending.list(PendingEnrollment.State.PENDING, page, size);
    }

    private PendingEnrollment pendingOrThrow(String id) {
        return pending.byId(id).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no pending enrollment '" + id + "'"));
    }

    private EnrollmentResponse accepted(String deviceId, EnrollmentRequest request) {
        if (request.csr() == null) {
            return new EnrollmentResponse(EnrollmentResponse.Status.ACCEPTED, deviceId, mqtt.uri(), clock.instant(), null);
        }
        FleetCa.Issued issued;
        try {
            issued = certificates.issue(deviceId, request.csr());
        } catch (IllegalArgumentException e) {
            throw ApiException.field(ErrorCode.VALIDATION_FAILED, "csr", e.getMessage());
        }
        return new EnrollmentResponse(EnrollmentResponse.Status.ACCEPTED, deviceId, mqtt.uri(), clock.instant(), null,
                issued.chainPem());
    }

    private static String newDeviceId() {
        return "dev-" + Secrets.id(12);
    }
}
