package dev.fleetlet.server.events;

/** Event types the core publishes. Other features use their own prefix ({@code telemetry.}, {@code rollout.}). */
public final class EventTypes {

    public static final String ONLINE = "device.online";
    public static final String OFFLINE = "device.offline";
    public static final String ENROLLED = "device.enrolled";
    public static final String ENROLLMENT_PENDING = "device.enrollment-pending";
    public static final String REENROLLED = "device.reenrolled";
    public static final String DECOMMISSIONED = "device.decommissioned";
    public static final String LABELS_CHANGED = "device.labels-changed";
    public static final String RENAMED = "device.renamed";

    private EventTypes() {
    }
}
