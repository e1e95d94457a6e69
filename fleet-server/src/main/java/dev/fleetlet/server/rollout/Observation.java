package dev.fleetlet.server.rollout;

import java.time.Instant;

/**
 * Something a device reported, normalised from reported states, {@code update.*} events and presence.
 * {@code at} must be the <em>server</em> time the report was received (device clocks are not trusted to
 * order things against dispatch times).
 *
 * <p>Mapping used by the adapter: reported {@code applying} or events {@code update.downloading},
 * {@code update.starting} → {@link Kind#APPLYING}; {@code applied} with every service healthy (or without
 * health checks) or {@code update.healthy}/{@code update.applied} → {@link Kind#HEALTHY}; {@code applied}
 * with a service still starting → {@link Kind#APPLIED}; a later report with a service unhealthy →
 * {@link Kind#UNHEALTHY}; {@code failed}/{@code rejected}/{@code rolled_back}/{@code rollback_failed}
 * (status or event) → the kind of the same name; broker connect/disconnect → ONLINE/OFFLINE.
 *
 * @param deviceId  the device
 * @param at        server receive time
 * @param kind      what it says
 * @param releaseId the release concerned (for APPLIED/HEALTHY: the release now running; null = none)
 * @param reason    the device's reason or message, or null
 */
public record Observation(String deviceId, Instant at, Kind kind, String releaseId, String reason) {

    /** Normalised report kinds. */
    public enum Kind {
        APPLYING, APPLIED, HEALTHY, UNHEALTHY, FAILED, REJECTED, ROLLED_BACK, ROLLBACK_FAILED, ONLINE, OFFLINE
    }
}
