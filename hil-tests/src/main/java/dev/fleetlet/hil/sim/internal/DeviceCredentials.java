package dev.fleetlet.hil.sim.internal;

/**
 * What a simulated device connects with.
 *
 * @param deviceId the device id (MQTT client id and user name)
 * @param secret   the MQTT password the device registered at enrollment
 * @param mqttHost where to connect
 * @param mqttPort the MQTT port
 */
public record DeviceCredentials(String deviceId, String secret, String mqttHost, int mqttPort) {

    /** Hides the secret. */
    @Override
    public String toString() {
        return "DeviceCredentials[deviceId=" + deviceId + ", mqtt=" + mqttHost + ":" + mqttPort + ", secret=***]";
    }
}
