package dev.fleetlet.protocol.app;

import java.util.Objects;

/**
 * A host device node made available to a service.
 *
 * @param hostPath      the device on the host, under {@code /dev/}
 * @param containerPath the path inside the container (equal to hostPath when not given)
 * @param permissions   cgroup permissions, a non-empty subset of {@code rwm} in that order; {@code rwm} by default
 */
public record DeviceMapping(String hostPath, String containerPath, String permissions) {

    public DeviceMapping {
        Objects.requireNonNull(hostPath, "hostPath");
        containerPath = containerPath == null ? hostPath : containerPath;
        permissions = permissions == null ? "rwm" : permissions;
    }

    /** {@code /dev/i2c-1:/dev/i2c-1:rwm}. */
    public String wire() {
        return hostPath + ":" + containerPath + ":" + permissions;
    }
}
