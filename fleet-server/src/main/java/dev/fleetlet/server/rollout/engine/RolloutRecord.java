package dev.fleetlet.server.rollout.engine;

import java.time.Instant;

/**
 * What a rollout is about, besides its state: fixed at creation.
 *
 * @param id         rollout id
 * @param kind       a release rollout or a fleet rollback
 * @param releaseId  the release rolled out (null for a fleet rollback: each device has its own target)
 * @param selector   the label selector as written ({@code ""} = every device)
 * @param createdBy  who created it
 * @param createdAt  when
 * @param rollbackOf for a fleet rollback, the rollout it takes back; null otherwise
 */
public record RolloutRecord(String id, Kind kind, String releaseId, String selector, String createdBy, Instant createdAt,
                            String rollbackOf) {

    /** What created the rollout. */
    public enum Kind { RELEASE, FLEET_ROLLBACK }
}
