package dev.fleetlet.server.device;

/** The stored credential of a device: its lifecycle and secret hash (null once decommissioned). */
public record DeviceCredentials(String deviceId, Lifecycle lifecycle, String secretHash) {

    @Override
    public String toString() {
        return "DeviceCredentials[deviceId=" + deviceId + ", lifecycle=" + lifecycle + "]";
    }
}
