package dev.fleetlet.agent.enroll;

import dev.fleetlet.agent.backoff.Backoff;
import dev.fleetlet.protocol.message.EnrollmentRequest;
import dev.fleetlet.protocol.message.HardwareFacts;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First-boot enrollment, idempotent across reboots: returns the stored credentials when the device is
 * enrolled; otherwise enrolls with the stored (or newly generated) secret and retries until accepted:
 * <ul>
 *   <li>network error, 5xx: jittered exponential back-off up to {@code maxDelay};</li>
 *   <li>202 pending: after the server's {@code retryAfterSeconds} (at least) ;</li>
 *   <li>400/401/403: logged as an error saying what the operator must do, retried every
 *       {@code refusedRetry} (docs/protocol.md: 10 min), since an operator may fix the token or allowlist.</li>
 * </ul>
 * With a {@link DeviceKey} (the opt-in certificate credential) every attempt also sends a PKCS#10 request for
 * the device's own key and stores the certificate chain of an accepted answer; a device whose stored
 * credentials lack a chain (e.g. switched from password to certificate) enrolls again. An accepted answer
 * without a chain is then treated as a refusal (the server is too old or refused the request).
 */
public final class Enroller {

    /** How often a refused enrollment is retried (docs/protocol.md). */
    public static final Duration REFUSED_RETRY = Duration.ofMinutes(10);

    private static final Logger log = LoggerFactory.getLogger(Enroller.class);

    private final CredentialStore store;
    private final EnrollmentClient client;
    private final String token;
    private final String serial;
    private final HardwareFacts facts;
    private final Backoff backoff;
    private final Duration refusedRetry;
    private final Sleeper sleeper;
    private final DeviceKey deviceKey;

    public Enroller(CredentialStore store, EnrollmentClient client, String token, HardwareFacts facts, Backoff backoff,
                    Duration refusedRetry, Sleeper sleeper) {
        this(store, client, token, facts, backoff, refusedRetry, sleeper, null);
    }

    /** As above; with a non-null {@code deviceKey} the device asks for a client certificate too. */
    public Enroller(CredentialStore store, EnrollmentClient client, String token, HardwareFacts facts, Backoff backoff,
                    Duration refusedRetry, Sleeper sleeper, DeviceKey deviceKey) {
        this.deviceKey = deviceKey;
        this.store = Objects.requireNonNull(store);
        this.client = Objects.requireNonNull(client);
        this.token = Objects.requireNonNull(token);
        this.facts = Objects.requireNonNull(facts);
        this.serial = facts.serial();
        this.backoff = Objects.requireNonNull(backoff);
        this.refusedRetry = Objects.requireNonNull(refusedRetry);
        this.sleeper = Objects.requireNonNull(sleeper);
    }

    /** The credentials, enrolling first when needed. Blocks until enrolled; only interruption ends it early. */
    public DeviceCredentials credentials() throws InterruptedException {
        var stored = store.load();
        if (stored.isPresent() && deviceKey != null && deviceKey.chain().isEmpty()) {
            log.info("device enrolled without a client certificate, enrolling again deviceId={}", stored.get().deviceId());
        } else if (stored.isPresent()) {
            log.info("device already enrolled deviceId={} serial={}", stored.get().deviceId(), stored.get().serial());
            return stored.get();
        }
        while (true) {
            EnrollOutcome outcome = attempt();
            if (outcome instanceof EnrollOutcome.Accepted a) {
                return a.credentials();
            }
            sleeper.sleep(delayAfter(outcome));
        }
    }

    /** One enrollment attempt; stores the credentials when accepted. */
    public EnrollOutcome attempt() throws InterruptedException {
        String secret = store.secretForEnrollment();
        String csr = deviceKey == null ? null : deviceKey.csr(serial);
        EnrollOutcome outcome = client.enroll(new EnrollmentRequest(token, serial, secret, facts, csr));
        if (outcome instanceof EnrollOutcome.Accepted a && deviceKey != null && a.certificateChain().isEmpty()) {
            outcome = new EnrollOutcome.Refused(200, "the server answered no client certificate (is it older than "
                    + "certificate enrollment?); set enrollment.credential: password or upgrade the server");
        }
        if (outcome instanceof EnrollOutcome.Accepted a) {
            if (deviceKey != null) {
                deviceKey.saveChain(a.certificateChain());
            }
            store.save(a.credentials());
            backoff.reset();
            log.info("device enrolled deviceId={} serial={} mqttUri={}", a.credentials().deviceId(), serial,
                    a.credentials().mqttUri());
        } else if (outcome instanceof EnrollOutcome.Pending p) {
            log.info("enrollment pending operator approval serial={} retryAfter={}", serial, p.retryAfter());
        } else if (outcome instanceof EnrollOutcome.Refused r) {
            log.error("enrollment refused status={} serial={} reason={} retryIn={}", r.status(), serial, r.reason(),
                    refusedRetry);
        } else if (outcome instanceof EnrollOutcome.Unavailable u) {
            log.warn("enrollment server unavailable serial={} reason={}", serial, u.reason());
        }
        return outcome;
    }

    private Duration delayAfter(EnrollOutcome outcome) {
        if (outcome instanceof EnrollOutcome.Pending p) {
            Duration jittered = backoff.next();
            return p.retryAfter().compareTo(jittered) > 0 ? p.retryAfter() : jittered;
        }
        if (outcome instanceof EnrollOutcome.Refused) {
            return refusedRetry;
        }
        return backoff.next();
    }
}
