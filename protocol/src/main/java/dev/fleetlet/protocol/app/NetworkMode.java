package dev.fleetlet.protocol.app;

/** The network namespace a service runs in. */
public enum NetworkMode {
    /** The app's own network namespace, shared by all its services (key absent). The default. */
    APP,
    /** The host's network namespace ({@code network_mode: host}). */
    HOST
}
