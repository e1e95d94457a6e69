package dev.fleetlet.protocol.app;

/** What a dependent service waits for before it starts ({@code depends_on.<service>.condition}). */
public enum DependencyCondition {
    /** The dependency's container has started. The default, and the meaning of the list form. */
    SERVICE_STARTED("service_started"),
    /** The dependency's healthcheck passed. */
    SERVICE_HEALTHY("service_healthy");

    private final String wire;

    DependencyCondition(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
