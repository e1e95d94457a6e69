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
 */
public record EnrollmentRequest(String token, String serial, String deviceSecret, HardwareFacts hardware) {

    /** Hides the token and the secret. */
    @Override
    public String toString() {
        return "EnrollmentRequest[serial=" + serial + ", token=***, deviceSecret=***]";
    }
}
