package dev.fleetlet.protocol.message;

/**
 * The body of {@code POST /api/v1/enroll}, sent by a device on first boot (and again, idempotently,
 * until it has stored its credentials).
 *
 * @param token        the fleet's provisioning token, as injected into the image
 * @param serial       the board's hardware serial
 * @param deviceSecret a random secret the device generated (at least 32 characters); the server keeps
 *                     only a salted hash of it and the device uses it as its MQTT password
 * @param hardware     hardware facts
 * @param csr          optional: a PEM PKCS#10 certificate signing request for a key the device generated
 *                     (EC P-256 recommended; RSA below 2048 bits is refused). When present, an accepted answer
 *                     also carries a client certificate signed by the fleet CA whose CN is the device id (the
 *                     requested subject is ignored). Null for password-only devices (the default).
 */
public record EnrollmentRequest(String token, String serial, String deviceSecret, HardwareFacts hardware, String csr) {

    /** A password-only request (no certificate asked for). */
    public EnrollmentRequest(String token, String serial, String deviceSecret, HardwareFacts hardware) {
        this(token, serial, deviceSecret, hardware, null);
    }

    /** Hides the token and the secret. */
    @Override
    public String toString() {
        return "EnrollmentRequest[serial=" + serial + ", token=***, deviceSecret=***, csr=" + (csr == null ? "none" : "present") + "]";
    }
}
