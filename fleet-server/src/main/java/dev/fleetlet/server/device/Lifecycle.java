package dev.fleetlet.server.device;

/** Where a device is in its life: enrolled and usable, or decommissioned (credentials revoked for good). */
public enum Lifecycle {
    ACTIVE, DECOMMISSIONED
}
