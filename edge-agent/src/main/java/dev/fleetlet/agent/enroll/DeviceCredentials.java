package dev.fleetlet.agent.enroll;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * What the device needs to connect, stored after a successful enrollment.
 *
 * @param deviceId   the id the server assigned: MQTT client id, user name and topic level
 * @param secret     the device secret generated locally: the MQTT password (never logged)
 * @param mqttUri    the broker the server told the device to use
 * @param serial     the hardware serial the device enrolled with
 * @param serverTime the server's clock at enrollment: a lower bound for an unsynchronised board clock
 */
public record DeviceCredentials(String deviceId, String secret, URI mqttUri, String serial, Instant serverTime) {

    public DeviceCredentials {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(mqttUri, "mqttUri");
        Objects.requireNonNull(serial, "serial");
    }

    /** Hides the secret. */
    @Override
    public String toString() {
        return "DeviceCredentials[deviceId=" + deviceId + ", mqttUri=" + mqttUri + ", serial=" + serial
                + ", secret=***]";
    }
}
