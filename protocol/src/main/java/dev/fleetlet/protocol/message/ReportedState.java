package dev.fleetlet.protocol.message;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.List;

/**
 * What a device runs and how its last update went, published retained on {@code state/reported}.
 *
 * @param v                 protocol version, always 1
 * @param deviceId          the publishing device
 * @param generation        the desired-state generation this report answers
 * @param reportedAt        device time of the report
 * @param status            outcome of applying that generation
 * @param releaseId         the release now running, or null
 * @param previousReleaseId the release kept for rollback, or null
 * @param reason            why failed, rolled back or rejected
 * @param services          per-service state, health and resource use
 * @param system            health of the board (disk, memory, temperature, power), or null when not measured;
 *                          an optional addition within v1
 */
public record ReportedState(int v, String deviceId, long generation, Instant reportedAt, Status status,
                            String releaseId, String previousReleaseId, String reason,
                            List<ServiceStatus> services, SystemHealth system) {

    public ReportedState {
        services = services == null ? List.of() : List.copyOf(services);
    }

    /** A report without {@code system} health (devices and tests that do not measure it). */
    public ReportedState(int v, String deviceId, long generation, Instant reportedAt, Status status,
                         String releaseId, String previousReleaseId, String reason, List<ServiceStatus> services) {
        this(v, deviceId, generation, reportedAt, status, releaseId, previousReleaseId, reason, services, null);
    }

    /** The same report with other services and system health, stamped {@code at}. */
    public ReportedState withHealth(Instant at, List<ServiceStatus> newServices, SystemHealth newSystem) {
        return new ReportedState(v, deviceId, generation, at, status, releaseId, previousReleaseId, reason,
                newServices, newSystem);
    }

    /** The outcome of applying a desired state. */
    public enum Status implements WireEnum {
        /** Nothing to do yet: no desired state received. */
        IDLE("idle"),
        /** Working on it: downloading, starting, waiting for health. */
        APPLYING("applying"),
        /** Running the desired release, healthy. */
        APPLIED("applied"),
        /** Could not apply; the previous release still runs untouched (e.g. the image could not be pulled). */
        FAILED("failed"),
        /** The new release failed and the device restored the previous one. */
        ROLLED_BACK("rolled_back"),
        /** The new release failed and the previous one could not be restored either. */
        ROLLBACK_FAILED("rollback_failed"),
        /** The desired state was invalid and was not acted on. */
        REJECTED("rejected");

        private final String wire;

        Status(String wire) {
            this.wire = wire;
        }

        @JsonValue
        @Override
        public String wire() {
            return wire;
        }

        @JsonCreator
        public static Status of(String wire) {
            return WireEnum.fromWire(Status.class, wire);
        }
    }
}
