package dev.fleetlet.server.enrollment;

import dev.fleetlet.server.broker.CertificateDirectory;
import dev.fleetlet.server.broker.ClientPrincipal;
import dev.fleetlet.server.db.Jdbc;
import dev.fleetlet.server.device.DeviceService;
import dev.fleetlet.server.enrollment.ca.FleetCa;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Device client certificates: issues them from the {@link FleetCa} at enrollment, records serial, fingerprint
 * and validity per device ({@code device_certificates}), revokes them when the device is decommissioned, and
 * answers the broker whether a presented certificate identifies a device ({@link CertificateDirectory}).
 *
 * <p>Issuing a certificate supersedes (revokes) the device's earlier ones, so only the newest key of a device
 * can connect. Validity is {@code fleetlet.ca.device-cert-validity} (default 365 days). The broker check
 * costs one signature verification and one indexed lookup per CONNECT.
 */
@Singleton
public class DeviceCertificates implements CertificateDirectory, DeviceService.DecommissionListener {

    private static final Logger log = LoggerFactory.getLogger(DeviceCertificates.class);

    private final FleetCa ca;
    private final Jdbc jdbc;
    private final Clock clock;
    private final Duration validity;

    public DeviceCertificates(FleetCa ca, Jdbc jdbc, Clock clock,
                              @Value("${fleetlet.ca.device-cert-validity:365d}") Duration validity) {
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("fleetlet.ca.device-cert-validity must be positive, was " + validity);
        }
        this.ca = ca;
        this.jdbc = jdbc;
        this.clock = clock;
        this.validity = validity;
    }

    /**
     * Signs {@code csrPem} for {@code deviceId} and records it, revoking the device's earlier certificates. Call
     * inside the enrollment transaction or on its own.
     *
     * @throws IllegalArgumentException ({@code csr: ...}) for a request the CA refuses
     */
    public FleetCa.Issued issue(String deviceId, String csrPem) {
        FleetCa.Issued issued = ca.sign(csrPem, deviceId, validity);
        Instant now = clock.instant();
        jdbc.tx(c -> {
            Jdbc.update(c, "UPDATE device_certificates SET revoked_at = ?, revoke_reason = 'superseded' "
                    + "WHERE device_id = ? AND revoked_at IS NULL", now, deviceId);
            Jdbc.update(c, "INSERT INTO device_certificates (serial, device_id, fingerprint_sha256, not_before, not_after, "
                            + "issued_at) VALUES (?, ?, ?, ?, ?, ?)", serialHex(issued.certificate()), deviceId,
                    FleetCa.fingerprint(issued.certificate()), issued.certificate().getNotBefore().toInstant(),
                    issued.notAfter(), now);
            return null;
        });
        log.info("device certificate issued deviceId={} serial={} notAfter={}", deviceId, serialHex(issued.certificate()),
                issued.notAfter());
        return issued;
    }

    /** The fleet CA certificate as PEM (what devices trust for the broker's certificate when it is the same CA). */
    public String caPem() {
        return ca.certificatePem();
    }

    @Override
    public void decommissioned(String deviceId) {
        int revoked = jdbc.update("UPDATE device_certificates SET revoked_at = ?, revoke_reason = 'decommissioned' "
                + "WHERE device_id = ? AND revoked_at IS NULL", clock.instant(), deviceId);
        if (revoked > 0) {
            log.info("device certificates revoked deviceId={} count={} reason=decommissioned", deviceId, revoked);
        }
    }

    @Override
    public X509Certificate trustAnchor() {
        return ca.certificate();
    }

    @Override
    public Optional<ClientPrincipal> authenticate(String clientId, X509Certificate[] chain) {
        if (chain == null || chain.length == 0) {
            return Optional.empty();
        }
        X509Certificate leaf = chain[0];
        String serial = serialHex(leaf);
        try {
            leaf.verify(ca.certificate().getPublicKey());
            leaf.checkValidity(java.util.Date.from(clock.instant()));
        } catch (java.security.GeneralSecurityException | RuntimeException e) {
            log.info("client certificate refused clientId={} serial={} reason={}", clientId, serial, e.getClass().getSimpleName());
            return Optional.empty();
        }
        Optional<String> cn = commonName(leaf.getSubjectX500Principal());
        if (cn.isEmpty() || !cn.get().equals(clientId)) {
            log.info("client certificate refused clientId={} serial={} cn={} reason=cn-mismatch", clientId, serial, cn.orElse(""));
            return Optional.empty();
        }
        Optional<String> device = jdbc.queryOne("SELECT c.device_id FROM device_certificates c JOIN devices d ON d.id = c.device_id "
                        + "WHERE c.serial = ? AND c.revoked_at IS NULL AND d.decommissioned_at IS NULL",
                rs -> rs.getString(1), serial);
        if (device.isEmpty() || !device.get().equals(clientId)) {
            log.info("client certificate refused clientId={} serial={} reason=unknown-or-revoked", clientId, serial);
            return Optional.empty();
        }
        return Optional.of(new ClientPrincipal.Device(clientId));
    }

    static String serialHex(X509Certificate certificate) {
        return certificate.getSerialNumber().toString(16);
    }

    private static Optional<String> commonName(X500Principal subject) {
        X500Name name = X500Name.getInstance(subject.getEncoded());
        var rdns = name.getRDNs(BCStyle.CN);
        if (rdns.length != 1) {
            return Optional.empty();
        }
        return Optional.of(IETFUtils.valueToString(rdns[0].getFirst().getValue()));
    }
}
